package io.headlesscrm.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.campaign.Rates.Rate;
import io.headlesscrm.campaign.Rates.Uplift;
import io.headlesscrm.common.error.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A run's report, read from the counts the run, the partners' status reports and the attribution keep up to date
 * (one small table, never the events): reach and engagement funnels and conversion per variant against the holdout,
 * and the daily conversion trend for the days after the send.
 */
@ApplicationScoped
public class CampaignReports {

    static final int MAX_DAYS = 90;

    @Type("CampaignFunnel")
    @Schema(name = "CampaignFunnel", description = "Counts and rates of one variant (or all of them)")
    public record Funnel(@Schema(required = true) long reached, @Schema(required = true) long delivered,
            @Schema(required = true) long opened, @Schema(required = true) long clicked,
            @Schema(required = true) long converted, @Schema(required = true, description = "delivered of reached")
            @NonNull Rate deliveryRate, @Schema(required = true, description = "opened of reached") @NonNull Rate openRate,
            @Schema(required = true, description = "clicked of reached") @NonNull Rate clickRate,
            @Schema(required = true, description = "reached customers who converted") @NonNull Rate conversionRate,
            @Schema(required = true) long heldOut, @Schema(required = true) long holdoutConverted,
            @Schema(required = true, description = "held-out customers who converted") @NonNull Rate holdoutConversionRate,
            @Schema(required = true) @NonNull Uplift uplift) {
    }

    @Type("CampaignTrendPoint")
    @Schema(name = "CampaignTrendPoint", description = "Day d after the send: conversions that day, and the "
            + "cumulative rates up to it")
    public record TrendPoint(@Schema(required = true) int day, @Schema(required = true) long converted,
            @Schema(required = true) long holdoutConverted, @Schema(required = true) @NonNull Rate conversionRate,
            @Schema(required = true) @NonNull Rate holdoutConversionRate) {
    }

    @Type("CampaignVariantReport")
    @Schema(name = "CampaignVariantReport")
    public record VariantReport(@Schema(required = true) @NonNull String variant, @Schema(required = true) @NonNull Funnel funnel,
            @Schema(required = true) @NonNull List<TrendPoint> trend) {
    }

    @Type("CampaignReport")
    @Schema(name = "CampaignReport", description = "Attribution: a conversion is the goal event by a reached customer "
            + "within the window after their touchpoint, credited to the last campaign touchpoint before it (one per "
            + "event); for a held-out customer, within the window after the run decided to hold them out")
    public record Report(@Schema(required = true) @Id @NonNull UUID campaignId, @Schema(required = true) @Id @NonNull UUID runId,
            @Schema(description = "The goal's event type (null: the campaign has no conversion goal)") String goal,
            @Schema(required = true) @NonNull Funnel total, @Schema(required = true) @NonNull List<TrendPoint> trend,
            @Schema(required = true) @NonNull List<VariantReport> variants) {
    }

    /** The counts of one variant, by day. */
    private static final class Counts {
        long reached;
        long delivered;
        long opened;
        long clicked;
        long heldOut;
        final Map<Integer, long[]> conversions = new TreeMap<>(); // day -> {converted, holdout converted}

        void add(Counts o) {
            reached += o.reached;
            delivered += o.delivered;
            opened += o.opened;
            clicked += o.clicked;
            heldOut += o.heldOut;
            o.conversions.forEach((d, c) -> {
                long[] mine = conversions.computeIfAbsent(d, k -> new long[2]);
                mine[0] += c[0];
                mine[1] += c[1];
            });
        }

        Funnel funnel() {
            long converted = conversions.values().stream().mapToLong(c -> c[0]).sum();
            long holdout = conversions.values().stream().mapToLong(c -> c[1]).sum();
            Rate rate = Rates.of(converted, reached);
            Rate control = Rates.of(holdout, heldOut);
            return new Funnel(reached, delivered, opened, clicked, converted, Rates.of(delivered, reached),
                    Rates.of(opened, reached), Rates.of(clicked, reached), rate, heldOut, holdout, control,
                    Rates.uplift(rate, control));
        }

        List<TrendPoint> trend(int days) {
            List<TrendPoint> points = new ArrayList<>();
            long cumulative = 0;
            long holdout = 0;
            for (int d = 0; d < days; d++) {
                long[] c = conversions.getOrDefault(d, new long[2]);
                cumulative += c[0];
                holdout += c[1];
                points.add(new TrendPoint(d, c[0], c[1], Rates.of(cumulative, reached), Rates.of(holdout, heldOut)));
            }
            return points;
        }
    }

    @Inject
    Pool pool;
    @Inject
    CampaignService campaigns;

    /** The report of {@code runId} (null: the campaign's latest run) over {@code days} days after the send. */
    Uni<Report> of(UUID campaignId, UUID runId, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw ProblemException.validation(List.of(new io.headlesscrm.common.error.FieldError("days",
                    "must be from 1 to " + MAX_DAYS)));
        }
        return campaigns.get(campaignId).flatMap(c -> pool.preparedQuery("SELECT id FROM campaign_run WHERE campaign_id = $1"
                + " AND ($2::uuid IS NULL OR id = $2) ORDER BY id DESC LIMIT 1").execute(Tuple.of(campaignId, runId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound(runId == null ? "A run of campaign" : "Campaign run",
                                runId == null ? campaignId : runId);
                    }
                    UUID run = rows.iterator().next().getUUID(0);
                    return read(run).map(byVariant -> report(c, run, byVariant, days));
                }));
    }

    /** Recounts the conversions of every run of the campaign under its current goal (after a goal change). */
    Uni<Void> recompute(UUID campaignId) {
        return campaigns.get(campaignId).flatMap(c -> Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.createNativeQuery(CampaignConversions.recompute(campaignId)).executeUpdate())))
                .replaceWithVoid();
    }

    private Uni<Map<String, Counts>> read(UUID run) {
        return pool.preparedQuery("SELECT variant, day, reached, delivered, opened, clicked, converted, held_out,"
                + " holdout_converted FROM campaign_report WHERE run_id = $1").execute(Tuple.of(run)).map(rows -> {
                    Map<String, Counts> by = new TreeMap<>();
                    rows.forEach(r -> {
                        Counts c = by.computeIfAbsent(r.getString(0), k -> new Counts());
                        c.reached += r.getLong(2);
                        c.delivered += r.getLong(3);
                        c.opened += r.getLong(4);
                        c.clicked += r.getLong(5);
                        c.heldOut += r.getLong(7);
                        long[] conv = c.conversions.computeIfAbsent(r.getInteger(1), k -> new long[2]);
                        conv[0] += r.getLong(6);
                        conv[1] += r.getLong(8);
                    });
                    return by;
                });
    }

    private static Report report(CampaignView c, UUID run, Map<String, Counts> byVariant, int days) {
        Counts total = new Counts();
        List<VariantReport> variants = new ArrayList<>();
        for (CampaignInput.Variant v : c.variants()) {
            Counts counts = byVariant.getOrDefault(v.key(), new Counts());
            total.add(counts);
            variants.add(new VariantReport(v.key(), counts.funnel(), counts.trend(days)));
        }
        return new Report(c.id(), run, c.conversion() == null ? null : c.conversion().eventType(), total.funnel(),
                total.trend(days), variants);
    }
}
