package io.headlesscrm.campaign;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What a run started now would decide, without sending or writing anything: the same rules as a run (the statements
 * are built by the same code), asked of the whole audience in one query.
 */
@ApplicationScoped
public class CampaignDryRun {

    @Type("CampaignDryRun")
    @Schema(name = "CampaignDryRun")
    public record Result(@Schema(required = true, description = "Customers in the audience now") long audience,
            @Schema(required = true, description = "Would be reached now") long reached,
            @Schema(required = true) long heldOut,
            @Schema(required = true, description = "No variant's rule fits them") long noVariant,
            @Schema(required = true, description = "Opted out of the channel, or no contact for it") long suppressed,
            @Schema(required = true, description = "Stopped by a frequency cap") long capped,
            @Schema(required = true, description = "In quiet hours now: would be sent when they end") long deferred,
            @Schema(required = true, description = "Per variant key, customers per outcome (REACHED, HELD_OUT, "
                    + "SUPPRESSED, CAPPED, DEFERRED)") @Ignore Map<String, Map<String, Long>> variants,
            @Schema(required = true, description = "Per cap (its reason), the customers it stops") @Ignore
            Map<String, Long> caps) {
    }

    @Inject
    CampaignService service;
    @Inject
    CampaignDefinitions definitions;
    @Inject
    CampaignCaps caps;
    @Inject
    Pool pool;

    Uni<Result> of(UUID id) {
        return service.get(id).flatMap(c -> definitions.compile(c.input()).flatMap(plan -> pool
                .query(CampaignRunSql.dryRun(plan, c.salt(), c.id(), caps.of(c.input()))).execute()).map(rows -> {
                    Map<String, Long> outcomes = new TreeMap<>();
                    Map<String, Map<String, Long>> variants = new TreeMap<>();
                    Map<String, Long> byCap = new TreeMap<>();
                    long audience = 0;
                    for (var r : rows) {
                        String outcome = r.getString(0);
                        long n = r.getLong(3);
                        audience += n;
                        outcomes.merge(outcome, n, Long::sum);
                        if (r.getString(1) != null) {
                            variants.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).merge(outcome, n, Long::sum);
                        }
                        if (r.getString(2) != null) {
                            byCap.merge(r.getString(2), n, Long::sum);
                        }
                    }
                    return new Result(audience, get(outcomes, "REACHED"), get(outcomes, "HELD_OUT"),
                            get(outcomes, "NO_VARIANT"), get(outcomes, "SUPPRESSED"), get(outcomes, "CAPPED"),
                            get(outcomes, "DEFERRED"), variants, byCap);
                }));
    }

    private static long get(Map<String, Long> counts, String outcome) {
        return counts.getOrDefault(outcome, 0L);
    }
}
