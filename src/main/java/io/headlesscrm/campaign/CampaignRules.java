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
 * explanations decide the same way, set-based. Assignment hashes are documented in the README: the first 32 bits of
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
        return " LEFT JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM campaign_recipient o"
                + " JOIN campaign_run orun ON orun.id = o.run_id JOIN campaign oc ON oc.id = orun.campaign_id"
                + " WHERE o.customer_id = c.id AND o.outcome IN ('PENDING', 'DEFERRED')"
                + " AND orun.status IN ('MATERIALISING', 'SENDING') AND oc.channel = " + SqlLiteral.text(channel.name())
                + " AND (oc.priority > " + priority + " OR (oc.priority = " + priority + " AND oc.id < "
                + SqlLiteral.id(campaignId) + ")) LIMIT " + most + ") o) reserved ON true";
    }
}
