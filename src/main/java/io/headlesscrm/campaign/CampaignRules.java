package io.headlesscrm.campaign;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.touchpoint.FrequencyCap;
import io.headlesscrm.touchpoint.Channel;
import io.headlesscrm.touchpoint.TouchpointSql;

/**
 * A campaign's decisions about a customer as SQL over {@code customer c}, so that a run, its dry run and its
 * explanations decide the same way, set-based. Assignment hashes are documented in docs/campaigns.md: the first 32 bits of
 * {@code md5(salt || ':' || purpose || ':' || customer id)} modulo the range, so anyone holding the salt can redo
 * them.
 */
final class CampaignRules {

    /** Basis points: a holdout of 12.34 % keeps back hashes below 1234 of 10000. */
    private static final int HOLDOUT_RANGE = 10_000;

    /** A variant as compiled: its key, its rule as a predicate (null: the default), its A/B weight. */
    record VariantRule(String key, CampaignInput.Target rule, String predicate, int weight) {
    }

    private CampaignRules() {
    }

    /** The customer's hash for {@code purpose}, in [0, range). */
    static String hash(String salt, String purpose, int range) {
        return "(('x' || substr(md5(" + SqlLiteral.text(salt + ":" + purpose + ":") + " || c.id::text), 1, 8))::bit(32)"
                + "::bigint % " + range + ")";
    }

    /** Whether customer c is in the control group: deterministic in the salt, so a rerun holds back the same people. */
    static String heldOut(String salt, BigDecimal percent) {
        if (percent == null || percent.signum() == 0) {
            return "false";
        }
        int basisPoints = percent.movePointRight(2).intValueExact();
        return hash(salt, "holdout", HOLDOUT_RANGE) + " < " + basisPoints;
    }

    /**
     * The key of the variant customer c gets, or NULL: the first group (adjacent variants with the same rule) whose
     * rule holds, and within a group of several the one the A/B hash falls into by weight.
     */
    static String variant(String salt, List<VariantRule> variants) {
        StringBuilder sql = new StringBuilder("CASE");
        for (List<VariantRule> group : groups(variants)) {
            VariantRule first = group.get(0);
            sql.append(" WHEN ").append(first.predicate() == null ? "true" : "(" + first.predicate() + ")")
                    .append(" THEN ").append(split(salt, group));
        }
        return sql.append(" END").toString();
    }

    /** Adjacent variants with equal rules, in order. */
    static List<List<VariantRule>> groups(List<VariantRule> variants) {
        List<List<VariantRule>> groups = new ArrayList<>();
        for (VariantRule v : variants) {
            if (!groups.isEmpty() && Objects.equals(groups.get(groups.size() - 1).get(0).rule(), v.rule())) {
                groups.get(groups.size() - 1).add(v);
            } else {
                groups.add(new ArrayList<>(List.of(v)));
            }
        }
        return groups;
    }

    private static String split(String salt, List<VariantRule> group) {
        if (group.size() == 1) {
            return SqlLiteral.text(group.get(0).key());
        }
        int total = group.stream().mapToInt(VariantRule::weight).sum();
        int upTo = 0;
        StringBuilder arms = new StringBuilder("CASE");
        String h = hash(salt, "ab", total);
        for (int i = 0; i < group.size(); i++) {
            VariantRule v = group.get(i);
            upTo += v.weight();
            arms.append(i == group.size() - 1 ? " ELSE " : " WHEN " + h + " < " + upTo + " THEN ")
                    .append(SqlLiteral.text(v.key()));
        }
        return arms.append(" END").toString();
    }

    /**
     * Until when quiet hours hold customer c (NULL: not in them now), in the customer's time zone (the attribute
     * timezone when PostgreSQL knows it, joined as {@code zn}) or else the quiet hours' own.
     */
    static String quietUntil(CampaignInput.QuietHours quiet) {
        if (quiet == null) {
            return "CAST(NULL AS timestamptz)";
        }
        String zone = quiet.timeZone() == null ? "UTC" : quiet.timeZone();
        return "campaign_quiet_until(now(), coalesce(zn.name, " + SqlLiteral.text(zone) + "), time '" + quiet.start()
                + "', time '" + quiet.end() + "')";
    }

    /** The join that {@link #quietUntil} reads the customer's known time zone from; empty without quiet hours. */
    static String zoneJoin(CampaignInput.QuietHours quiet) {
        return quiet == null ? "" : " LEFT JOIN zones zn ON zn.name = c.attributes ->> 'timezone'";
    }

    /** The CTE {@link #zoneJoin} reads, once per statement; empty without quiet hours. */
    static String zones(CampaignInput.QuietHours quiet) {
        return quiet == null ? "" : "zones AS MATERIALIZED (SELECT name FROM pg_timezone_names), ";
    }

    /**
     * Which cap customer c has reached (the reason), or NULL. A cap counts the customer's automated touchpoints on the
     * channel within its window, plus what open runs of campaigns of higher priority on the channel still mean to send
     * them (joined as {@code reserved}, see {@link #reservedJoin}): so when caps force a choice, priority decides.
     */
    static String capped(Channel channel, List<FrequencyCap> caps) {
        return TouchpointSql.capped(channel, caps, "reserved.n");
    }

    /** The count {@link #capped} adds: pending sends to customer c by open runs of campaigns that outrank this one. */
    static String reservedJoin(Channel channel, List<FrequencyCap> caps, UUID campaignId, int priority) {
        if (caps.isEmpty()) {
            return "";
        }
        int most = caps.stream().mapToInt(FrequencyCap::max).max().orElseThrow();
        return " LEFT JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM " + reservations(channel, campaignId,
                priority, "c.id") + " LIMIT " + most + ") o) reserved ON true";
    }

    /**
     * Whose the room of the cap customer {@code customer} (SQL) reached is, {@code capped} (SQL) being the reason
     * {@link #capped} gave, as words to follow that reason: the campaign of the highest priority (then the oldest)
     * among the automated touchpoints in that cap's window and the reservations it counted, else a lead rule; empty
     * when no one is known any more (a campaign since deleted).
     */
    static String cappedBy(Channel channel, List<FrequencyCap> caps, UUID campaignId, int priority, String customer,
            String capped) {
        if (caps.isEmpty()) {
            return "''";
        }
        StringBuilder window = new StringBuilder("CASE ").append(capped);
        for (FrequencyCap cap : caps) {
            window.append(" WHEN ").append(SqlLiteral.text(cap.reason())).append(" THEN ")
                    .append(SqlLiteral.interval(cap.window()));
        }
        window.append(" END");
        return "coalesce((SELECT CASE WHEN x.id IS NOT NULL THEN ', by campaign \"' || x.name || '\" (priority '"
                + " || x.priority || ', ' || x.id || ')' WHEN x.lead THEN ', by a lead rule''s touchpoint' END FROM ("
                + "SELECT oc.id, oc.name, oc.priority, t.lead_id IS NOT NULL AS lead FROM " + TouchpointSql.AS_T
                + " LEFT JOIN campaign_run orun ON orun.id = t.campaign_run_id LEFT JOIN campaign oc ON oc.id = orun.campaign_id"
                + " WHERE " + TouchpointSql.automated(channel, customer, "now() - " + window)
                + " UNION ALL SELECT oc.id, oc.name, oc.priority, false FROM "
                + reservations(channel, campaignId, priority, customer)
                + ") x ORDER BY x.priority DESC NULLS LAST, x.id, x.lead DESC LIMIT 1), '')";
    }

    /**
     * Whether a campaign that outranks this one on the channel is due to start a run or has one still materialising:
     * its reservations are not known yet, so this one's decisions under caps wait for them (a statement returning
     * one boolean). Materialising never waits, and the rank is a total order, so no two runs wait for each other.
     */
    static String outrankedAndStarting(Channel channel, UUID campaignId, int priority) {
        return "SELECT EXISTS (SELECT 1 FROM campaign oc WHERE oc.channel = " + SqlLiteral.text(channel.name()) + " AND "
                + outranks(campaignId, priority) + " AND ((oc.status = 'SCHEDULED' AND oc.next_run_at <= now())"
                + " OR EXISTS (SELECT 1 FROM campaign_run orun WHERE orun.campaign_id = oc.id"
                + " AND orun.status = 'MATERIALISING')))";
    }

    /**
     * The recipients of customer {@code customer} (SQL) not yet decided by open runs of campaigns on the channel that
     * outrank this one: a FROM-and-WHERE over recipient o, its run orun and campaign oc.
     */
    private static String reservations(Channel channel, UUID campaignId, int priority, String customer) {
        return "campaign_recipient o JOIN campaign_run orun ON orun.id = o.run_id JOIN campaign oc ON oc.id = orun.campaign_id"
                + " WHERE o.customer_id = " + customer + " AND o.outcome IN ('PENDING', 'DEFERRED')"
                + " AND orun.status IN ('MATERIALISING', 'SENDING') AND oc.channel = " + SqlLiteral.text(channel.name())
                + " AND " + outranks(campaignId, priority);
    }

    /**
     * Campaign oc outranks this one: a higher priority, or the same and older (campaign ids are time-ordered, so the
     * smaller id is the older campaign). A total order: exactly one of two campaigns outranks the other.
     */
    private static String outranks(UUID campaignId, int priority) {
        return "(oc.priority > " + priority + " OR (oc.priority = " + priority + " AND oc.id < "
                + SqlLiteral.id(campaignId) + "))";
    }
}
