package io.headlesscrm.campaign;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.event.EventSql;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Attributes goal events to campaigns, on every instance: it claims the queued goal events (oldest first, SKIP
 * LOCKED) and, in the transaction that deletes them, credits each to the last campaign touchpoint before it within
 * that campaign's window whose goal it meets (type and property filters), and to every run that held the customer
 * out within the window; a recipient's first conversion is added to its run's report for the day after the send
 * it came on. Attribution reads only the claimed events and those customers' touchpoints: never all events.
 */
@ApplicationScoped
class CampaignConversions {

    private static final Logger LOG = Logger.getLogger(CampaignConversions.class);
    static final int BATCH = 1000;

    private static final String ATTRIBUTE = "WITH claimed AS (DELETE FROM campaign_goal_event g USING (SELECT"
            + " customer_id, seq FROM campaign_goal_event ORDER BY seq LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED) x"
            + " WHERE g.customer_id = x.customer_id AND g.seq = x.seq RETURNING g.customer_id, g.occurred_at, g.event_id),"
            + " e AS MATERIALIZED (" + EventSql.byKeys("claimed") + "),"
            + " touch AS (SELECT DISTINCT ON (e.customer_id, e.occurred_at, e.event_id) e.customer_id, e.occurred_at,"
            + " e.event_id, t.campaign_run_id AS run_id, t.id AS touchpoint_id FROM e JOIN " + TouchpointSql.AS_T
            + " ON t.customer_id = e.customer_id AND t.campaign_run_id IS NOT NULL AND t.status <> 'SUPPRESSED'"
            + " AND t.created_at <= e.occurred_at JOIN campaign_run run ON run.id = t.campaign_run_id"
            + " JOIN campaign c ON c.id = run.campaign_id WHERE c.goal_type = e.type"
            + " AND e.occurred_at < t.created_at + c.goal_window AND %1$s"
            + " ORDER BY e.customer_id, e.occurred_at, e.event_id, t.created_at DESC, t.id DESC),"
            + " held AS (SELECT DISTINCT e.customer_id, e.occurred_at, e.event_id, r.run_id, CAST(NULL AS uuid)"
            + " AS touchpoint_id FROM e JOIN campaign_recipient r ON r.customer_id = e.customer_id"
            + " AND r.outcome = 'HELD_OUT' AND r.decided_at <= e.occurred_at JOIN campaign_run run ON run.id = r.run_id"
            + " JOIN campaign c ON c.id = run.campaign_id WHERE c.goal_type = e.type"
            + " AND e.occurred_at < r.decided_at + c.goal_window AND %1$s),"
            + " conv AS (INSERT INTO campaign_conversion (customer_id, occurred_at, event_id, run_id, touchpoint_id)"
            + " SELECT * FROM touch UNION ALL SELECT * FROM held ON CONFLICT DO NOTHING"
            + " RETURNING customer_id, occurred_at, run_id, touchpoint_id),"
            + " firsts AS (SELECT run_id, customer_id, touchpoint_id, min(occurred_at) AS at FROM conv GROUP BY 1, 2, 3),"
            + " converted AS (UPDATE campaign_recipient r SET converted_at = f.at FROM firsts f WHERE r.run_id = f.run_id"
            + " AND r.customer_id = f.customer_id AND r.converted_at IS NULL AND CASE WHEN f.touchpoint_id IS NULL"
            + " THEN r.outcome = 'HELD_OUT' ELSE r.touchpoint_id = f.touchpoint_id END"
            + " RETURNING r.run_id, r.variant, r.outcome, greatest(0, floor(extract(epoch FROM r.converted_at"
            + " - r.decided_at) / 86400))::int AS day),"
            + " counted AS (INSERT INTO campaign_report AS cr (run_id, variant, day, converted, holdout_converted)"
            + " SELECT run_id, variant, day, count(*) FILTER (WHERE outcome = 'REACHED'),"
            + " count(*) FILTER (WHERE outcome = 'HELD_OUT') FROM converted WHERE variant IS NOT NULL GROUP BY 1, 2, 3"
            + " ON CONFLICT (run_id, variant, day) DO UPDATE SET converted = cr.converted + EXCLUDED.converted,"
            + " holdout_converted = cr.holdout_converted + EXCLUDED.holdout_converted)"
            + " SELECT count(*) FROM claimed";

    @Inject
    Pool pool;
    @Inject
    CampaignsConfig config;

    @Scheduled(every = "${crm.campaigns.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return filters().flatMap(match -> WorkLoop.drain(() -> attribute(match).map(n -> n == BATCH), LOG,
                "Campaign conversions"));
    }

    /** One batch; the number of goal events it claimed. */
    Uni<Long> attribute(String match) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(
                String.format(ATTRIBUTE, match), Long.class).getSingleResult()));
    }

    /** Each campaign's goal property filters, as one predicate over c (the campaign) and e (the event). */
    private Uni<String> filters() {
        return pool.query("SELECT id, goal_filter FROM campaign WHERE goal_type IS NOT NULL AND goal_filter <> 'true'")
                .execute().map(rows -> {
                    if (rows.size() == 0) {
                        return "true";
                    }
                    StringBuilder sql = new StringBuilder("CASE c.id");
                    rows.forEach(r -> sql.append(" WHEN ").append(SqlLiteral.id(r.getUUID(0))).append(" THEN (")
                            .append(r.getString(1)).append(")"));
                    return sql.append(" ELSE true END").toString();
                });
    }

    /** A changed goal: the runs' conversions are counted again from their recipients' events (queued for the poll). */
    static String recompute(UUID campaignId) {
        return "WITH runs AS (SELECT id FROM campaign_run WHERE campaign_id = " + SqlLiteral.id(campaignId) + "),"
                + " cleared AS (DELETE FROM campaign_conversion WHERE run_id IN (SELECT id FROM runs)),"
                + " reset AS (UPDATE campaign_report SET converted = 0, holdout_converted = 0"
                + " WHERE run_id IN (SELECT id FROM runs)),"
                + " unconverted AS (UPDATE campaign_recipient SET converted_at = NULL"
                + " WHERE run_id IN (SELECT id FROM runs) AND converted_at IS NOT NULL)"
                + " INSERT INTO campaign_goal_event (customer_id, occurred_at, event_id)"
                + " SELECT DISTINCT ev.customer_id, ev.occurred_at, ev.event_id FROM campaign_recipient r"
                + " JOIN campaign c ON c.id = " + SqlLiteral.id(campaignId)
                + EventSql.joinOfType("r.customer_id", "c.goal_type", "r.decided_at", "r.decided_at + c.goal_window")
                + " WHERE r.run_id IN (SELECT id FROM runs) AND r.outcome IN ('REACHED', 'HELD_OUT')";
    }
}
