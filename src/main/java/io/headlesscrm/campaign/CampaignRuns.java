package io.headlesscrm.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.customer.CustomerService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Campaign runs as the API reads them: progress while they run, and each customer's decision, explained. */
@ApplicationScoped
public class CampaignRuns {

    static final Keyset KEYSET = Keyset.byId("id", "id", true);
    private static final String COLUMNS = "SELECT id, campaign_id, status, trigger, audience_size, error, created_at,"
            + " started_at, finished_at FROM campaign_run";

    @Type("CampaignRun")
    @Schema(name = "CampaignRun", description = "A run of a campaign and its progress, counted live")
    public record RunView(@Schema(required = true) @Id @NonNull UUID id, @Schema(required = true) @Id @NonNull UUID campaignId,
            @Schema(required = true, description = "MATERIALISING, SENDING, PAUSED, COMPLETED, CANCELLED or FAILED")
            @NonNull String status,
            @Schema(required = true, description = "NOW, AT, CRON or ENTRY") @NonNull String trigger,
            @Schema(description = "Customers in the audience when it was materialised (batch runs)") Long audienceSize,
            @Schema(required = true, description = "Recipients per outcome: PENDING, DEFERRED, REACHED, SUPPRESSED, "
                    + "CAPPED, HELD_OUT, NO_VARIANT, SKIPPED") @Ignore Map<String, Long> outcomes,
            @Schema(required = true, description = "Per variant key, recipients per outcome") @Ignore
            Map<String, Map<String, Long>> variants,
            @Schema(description = "Why it failed") String error, @Schema(required = true) @NonNull Instant createdAt,
            Instant startedAt, Instant finishedAt) {
    }

    @Type("CampaignDecision")
    @Schema(name = "CampaignDecision", description = "What a run decided for one customer, and why")
    public record Decision(@Schema(required = true) @Id @NonNull UUID runId,
            @Schema(required = true) @Id @NonNull UUID customerId,
            @Schema(required = true, description = "NOT_IN_AUDIENCE, or the recipient's outcome") @NonNull String outcome,
            @Schema(description = "The variant chosen (held-out customers too: the one they would have had)") String variant,
            @Schema(required = true, description = "Why, in words") @NonNull String explanation,
            @Schema(description = "When the customer entered (entry-triggered runs)") Instant enteredAt,
            @Schema(description = "Quiet hours held the send until then") Instant deferredUntil,
            @Schema(description = "The touchpoint created (REACHED, SUPPRESSED)") @Id UUID touchpointId,
            Instant decidedAt) {
    }

    @Inject
    Pool pool;
    @Inject
    CustomerService customers;

    Uni<Page.Slice<RunView>> list(UUID campaignId, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS).where("campaign_id = ?", campaignId).page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).flatMap(rows -> {
            List<Row> runs = new ArrayList<>();
            rows.forEach(runs::add);
            return counts(runs.stream().map(r -> r.getUUID(0)).toList()).map(counts -> Page.slice(
                    runs.stream().map(r -> view(r, counts.getOrDefault(r.getUUID(0), Map.of()))).toList(), limit,
                    v -> KEYSET.cursor(null, v.id())));
        });
    }

    /** The campaign's latest run, or null before its first. */
    Uni<RunView> latest(UUID campaignId) {
        return pool.preparedQuery("SELECT id FROM campaign_run WHERE campaign_id = $1 ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(campaignId)).flatMap(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                        : get(campaignId, rows.iterator().next().getUUID(0)));
    }

    Uni<RunView> get(UUID campaignId, UUID runId) {
        return pool.preparedQuery(COLUMNS + " WHERE id = $1 AND campaign_id = $2").execute(Tuple.of(runId, campaignId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Campaign run", runId);
                    }
                    Row r = rows.iterator().next();
                    return counts(List.of(runId)).map(c -> view(r, c.getOrDefault(runId, Map.of())));
                });
    }

    /** Per run, variant (or "" for none) and outcome: the recipients. */
    private Uni<Map<UUID, Map<String, Map<String, Long>>>> counts(List<UUID> runs) {
        return pool.preparedQuery("SELECT run_id, variant, outcome, n FROM campaign_run_count WHERE run_id = ANY($1)"
                + " AND n <> 0").execute(Tuple.of(runs.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, Map<String, Map<String, Long>>> by = new LinkedHashMap<>();
                    rows.forEach(r -> by.computeIfAbsent(r.getUUID(0), k -> new TreeMap<>())
                            .computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getLong(3)));
                    return by;
                });
    }

    private static RunView view(Row r, Map<String, Map<String, Long>> byVariant) {
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Map<String, Long>> variants = new TreeMap<>();
        byVariant.forEach((variant, counts) -> {
            counts.forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
            if (!variant.isEmpty()) {
                variants.put(variant, counts);
            }
        });
        return new RunView(r.getUUID(0), r.getUUID(1), r.getString(2), r.getString(3), r.getLong(4), outcomes, variants,
                r.getString(5), Rows.instant(r, 6), Rows.instant(r, 7), Rows.instant(r, 8));
    }

    /** Why a run reached a customer with a variant, or did not; the latest entry for an entry-triggered run. */
    Uni<Decision> explain(UUID campaignId, UUID runId, UUID customerId) {
        // the run must be this campaign's; its progress (a count over all its recipients) is not needed here
        Uni<Void> known = pool.preparedQuery("SELECT 1 FROM campaign_run WHERE id = $1 AND campaign_id = $2")
                .execute(Tuple.of(runId, campaignId)).invoke(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Campaign run", runId);
                    }
                }).replaceWithVoid();
        return known.flatMap(v -> customers.get(customerId)).flatMap(c -> pool.preparedQuery(
                "SELECT outcome, variant, reason, entry_at, due_at, touchpoint_id, decided_at, trigger"
                        + " FROM campaign_recipient r JOIN campaign_run run ON run.id = r.run_id"
                        + " WHERE r.run_id = $1 AND r.customer_id = $2 ORDER BY entry_at DESC LIMIT 1")
                .execute(Tuple.of(runId, customerId))).map(rows -> {
                    if (rows.size() == 0) {
                        return new Decision(runId, customerId, "NOT_IN_AUDIENCE", null, "not in the audience: the "
                                + "customer was in no include entry, or in an exclude entry, when the run looked",
                                null, null, null, null);
                    }
                    Row r = rows.iterator().next();
                    String outcome = r.getString(0);
                    Instant due = Rows.instant(r, 4);
                    return new Decision(runId, customerId, outcome, r.getString(1), explanation(outcome, r.getString(1),
                            r.getString(2), due), "ENTRY".equals(r.getString(7)) ? Rows.instant(r, 3) : null, due,
                            r.getUUID(5), Rows.instant(r, 6));
                });
    }

    private static String explanation(String outcome, String variant, String reason, Instant due) {
        String held = due == null || outcome.equals("DEFERRED") ? "" : " (held by quiet hours until " + due + ")";
        return switch (outcome) {
            case "REACHED" -> "reached with variant " + variant + held;
            case "PENDING" -> "in the audience, variant " + variant + ": not decided yet";
            default -> reason + held;
        };
    }
}
