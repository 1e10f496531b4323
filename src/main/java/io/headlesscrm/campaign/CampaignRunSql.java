package io.headlesscrm.campaign;

import java.util.List;
import java.util.UUID;

import io.headlesscrm.campaign.CampaignDefinitions.Plan;
import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.segment.SegmentEntries;
import io.headlesscrm.touchpoint.FrequencyCap;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.headlesscrm.webhook.Outbox;

/**
 * The statements of a run, built from its plan: who is in it and what the run decided for each at materialisation
 * (held out, no variant, or pending with a variant), and, per batch, what stops a send now (consent, caps, quiet
 * hours). A dry run asks the same questions of the whole audience at once.
 */
final class CampaignRunSql {

    private CampaignRunSql() {
    }

    /** Columns over customer c: held out, the variant key, and the reason for a decision made at materialisation. */
    private static String assignment(Plan plan, String salt) {
        String held = CampaignRules.heldOut(salt, plan.input().holdoutPercent());
        return "SELECT c.id, " + held + " AS held, " + CampaignRules.variant(salt, plan.variants()) + " AS variant";
    }

    private static final String DECIDED = " CASE WHEN a.held THEN 'HELD_OUT' WHEN a.variant IS NULL THEN 'NO_VARIANT'"
            + " ELSE 'PENDING' END, a.variant, CASE WHEN a.held THEN 'held out: in the control group'"
            + " WHEN a.variant IS NULL THEN 'no variant: no variant''s rule fits the customer' END, now()";

    /** Counts the held-out recipients the CTE {@code taken} inserted into run ?1's report. */
    private static final String HELD = ", held AS (INSERT INTO campaign_report AS cr (run_id, variant, day, held_out)"
            + " SELECT ?1, variant, 0, count(*) FROM taken WHERE outcome = 'HELD_OUT' GROUP BY variant"
            + " ON CONFLICT (run_id, variant, day) DO UPDATE SET held_out = cr.held_out + EXCLUDED.held_out)";

    /**
     * Inserts the whole audience as recipients of run ?1 entered at ?2 (a second materialisation adds no one), counts
     * the held-out into the report, and returns how many it inserted.
     */
    static String materialise(Plan plan, String salt) {
        return "WITH taken AS (INSERT INTO campaign_recipient (run_id, customer_id, entry_at, outcome, variant, reason,"
                + " decided_at) SELECT ?1, a.id, ?2," + DECIDED + " FROM (" + assignment(plan, salt) + " FROM "
                + CustomerSql.AS_C + " WHERE " + plan.audience() + ") a ON CONFLICT DO NOTHING RETURNING outcome, variant)"
                + HELD
                + " SELECT count(*) FROM taken";
    }

    /**
     * Takes the entries into {@code bucket} after ?2 (and since the run began, ?3) of customers in the audience as
     * recipients of run ?1, each entry once; returns the latest entry time seen.
     */
    static String intake(Plan plan, String salt, SegmentEntries.Bucket bucket) {
        return "WITH e AS MATERIALIZED (" + SegmentEntries.since(bucket, "?2") + " AND at >= ?3), taken AS ("
                + "INSERT INTO campaign_recipient (run_id, customer_id, entry_at, outcome, variant, reason, decided_at)"
                + " SELECT ?1, a.id, a.at," + DECIDED + " FROM (" + assignment(plan, salt) + ", e.at FROM e"
                + " JOIN " + CustomerSql.AS_C + " ON c.id = e.customer_id WHERE " + plan.audience()
                + ") a ON CONFLICT DO NOTHING RETURNING outcome, variant)" + HELD + " SELECT (SELECT max(at) FROM e), (SELECT count(*) FROM taken)";
    }

    /**
     * Decides and sends the next batch of run $1 (at most $2 recipients), in one statement of its own transaction, on a
     * connection of its own (positional parameters are the pool's $n): pending recipients in key order from customer
     * $6 (inclusive) to $7 (exclusive, NULL: no end), so that concurrent batches of a run never meet, or, when
     * {@code deferred}, those quiet hours deferred that are due (no range). A customer deleted meanwhile is SKIPPED,
     * one a cap stops is CAPPED (naming the cap, and the campaign whose reach or reservation took its room: see
     * {@link CampaignRules#cappedBy}), one in quiet hours DEFERRED until they end, and everyone else gets a touchpoint
     * (source CAMPAIGN, the run, their variant's content from the arrays of keys $3 and JSON contents $4, an id from
     * $5, at least $2 fresh ones) written the touchpoint package's way: SUPPRESSED when they opted out or
     * lack the contact, else QUEUED with its touchpoint.created message (REACHED). Every decision is recorded on the
     * recipient with its reason (the progress counts' rows are locked in key order: see V16). Returns the recipients
     * decided, the webhook messages written, and the variants reached with their counts, for {@link #COUNT_REACHED}.
     */
    static String send(Plan plan, CampaignView campaign, List<FrequencyCap> caps, boolean deferred) {
        CampaignInput in = plan.input();
        String pick = deferred ? "r.outcome = 'DEFERRED' AND r.due_at <= now() ORDER BY r.due_at, r.customer_id"
                : "r.outcome = 'PENDING' AND r.customer_id >= $6 AND ($7::uuid IS NULL OR r.customer_id < $7)"
                        + " ORDER BY r.customer_id";
        return "WITH " + CampaignRules.zones(in.quietHours()) + "b AS MATERIALIZED (SELECT r.ctid AS row_id, r.customer_id,"
                + " r.entry_at, r.variant FROM campaign_recipient r WHERE r.run_id = $1 AND " + pick + " LIMIT $2),"
                + " checked AS MATERIALIZED (SELECT b.row_id, b.customer_id, b.entry_at, b.variant, c.id IS NULL AS gone, "
                + checks(in, caps) + " FROM b LEFT JOIN " + CustomerSql.AS_C + " ON c.id = b.customer_id"
                + joins(in, campaign.id(), caps) + "),"
                + " o AS MATERIALIZED (SELECT checked.*, CASE WHEN gone THEN 'SKIPPED'"
                + " WHEN suppressed IS NULL AND capped IS NOT NULL THEN 'CAPPED'"
                + " WHEN suppressed IS NULL AND quiet_until IS NOT NULL THEN 'DEFERRED' WHEN suppressed IS NOT NULL"
                + " THEN 'SUPPRESSED' ELSE 'REACHED' END AS outcome FROM checked),"
                // the touchpoint's id is chosen with the decision, so recording it needs no join with what was sent; the
                // recipients are updated by the row ids read in this statement (no other batch reads its range), never
                // by a scan
                + " d AS MATERIALIZED (SELECT o.*, CASE WHEN outcome IN ('REACHED', 'SUPPRESSED')"
                + " THEN (CAST($5 AS uuid[]))[row_number() OVER ()] END AS touchpoint_id FROM o),"
                + " sent AS MATERIALIZED (SELECT d.touchpoint_id AS id, d.customer_id, "
                + SqlLiteral.text(campaign.channel().name()) + " AS channel, " + SqlLiteral.text(campaign.purpose())
                + " AS purpose, CAST(v.content AS jsonb) AS content, 'CAMPAIGN' AS source, CASE d.outcome WHEN 'REACHED'"
                + " THEN 'QUEUED' ELSE 'SUPPRESSED' END AS status, d.suppressed AS reason, now() AS created_at,"
                + " CAST($1 AS uuid) AS run_id, d.variant, CAST(NULL AS uuid) AS lead_id FROM d"
                + " JOIN unnest(CAST($3 AS text[]), CAST($4 AS text[])) AS v(key, content) ON v.key = d.variant"
                + " WHERE d.touchpoint_id IS NOT NULL), " + TouchpointSql.created("sent") + ","
                + " decided AS (UPDATE campaign_recipient r SET outcome = d.outcome, reason = CASE d.outcome"
                + " WHEN 'CAPPED' THEN d.capped || " + CampaignRules.cappedBy(in.channel(), caps, campaign.id(),
                        priority(in), "d.customer_id", "d.capped") + " WHEN 'DEFERRED' THEN 'deferred: quiet hours until '"
                + " || to_char(d.quiet_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " WHEN 'SUPPRESSED' THEN d.suppressed WHEN 'SKIPPED' THEN 'deleted: the customer no longer exists' END,"
                + " due_at = CASE WHEN d.outcome = 'DEFERRED' THEN d.quiet_until"
                + " ELSE r.due_at END, touchpoint_id = d.touchpoint_id, decided_at = now() FROM d WHERE r.ctid = d.row_id"
                + " AND r.run_id = $1), reached AS (SELECT variant, count(*) AS n FROM d WHERE outcome = 'REACHED'"
                + " GROUP BY variant)"
                + " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM touchpoint_messages) AS " + Outbox.MESSAGES
                + ","
                + " (SELECT array_agg(variant ORDER BY variant) FROM reached), (SELECT array_agg(n ORDER BY variant) FROM reached)";
    }

    /**
     * Counts the reached of a batch, variants $2 and counts $3 from {@link #send}, into run $1's report: the last
     * statement of the batch's transaction, as the report's row is shared by the batches of the run that run at once
     * (each waits for the other's commit at its lock, so it is taken after the batch's work, not in the middle).
     */
    static final String COUNT_REACHED = "INSERT INTO campaign_report AS cr (run_id, variant, day, reached)"
            + " SELECT $1, v, 0, n FROM unnest($2::text[], $3::bigint[]) AS x(v, n) ORDER BY v"
            + " ON CONFLICT (run_id, variant, day) DO UPDATE SET reached = cr.reached + EXCLUDED.reached";

    /** Per outcome and variant, what a run started now would decide for the audience. */
    static String dryRun(Plan plan, String salt, UUID campaignId, List<FrequencyCap> caps) {
        CampaignInput in = plan.input();
        return "WITH " + CampaignRules.zones(in.quietHours()) + "a AS (" + assignment(plan, salt) + ", "
                + checks(in, caps) + " FROM " + CustomerSql.AS_C + joins(in, campaignId, caps) + " WHERE "
                + plan.audience() + ") SELECT CASE WHEN held THEN 'HELD_OUT' WHEN variant IS NULL THEN 'NO_VARIANT'"
                + " WHEN suppressed IS NOT NULL THEN 'SUPPRESSED' WHEN capped IS NOT NULL THEN 'CAPPED'"
                + " WHEN quiet_until IS NOT NULL THEN 'DEFERRED' ELSE 'REACHED' END AS outcome, variant,"
                + " CASE WHEN NOT held AND variant IS NOT NULL AND suppressed IS NULL THEN capped END AS cap,"
                + " count(*) FROM a GROUP BY 1, 2, 3";
    }

    private static String checks(CampaignInput in, List<FrequencyCap> caps) {
        return TouchpointSql.suppression(in.channel()) + " AS suppressed, " + CampaignRules.capped(in.channel(), caps)
                + " AS capped, " + CampaignRules.quietUntil(in.quietHours()) + " AS quiet_until";
    }

    private static String joins(CampaignInput in, UUID campaignId, List<FrequencyCap> caps) {
        return CampaignRules.zoneJoin(in.quietHours()) + CampaignRules.reservedJoin(in.channel(), caps, campaignId,
                priority(in));
    }

    static int priority(CampaignInput in) {
        return in.priority() == null ? 0 : in.priority();
    }
}
