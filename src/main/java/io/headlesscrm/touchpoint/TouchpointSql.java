package io.headlesscrm.touchpoint;

import java.time.Duration;

import io.headlesscrm.common.SqlLiteral;

/**
 * The SQL this package publishes for statements that decide about many customers at once (campaign runs and their
 * dry runs): the same rules {@link TouchpointService} applies to each touchpoint it creates, over {@code customer c}.
 */
public final class TouchpointSql {

    private TouchpointSql() {
    }

    /** Why a touchpoint on {@code channel} to customer c would be suppressed (text), or NULL: it would be queued. */
    public static String suppression(Channel channel) {
        StringBuilder sql = new StringBuilder("CASE WHEN EXISTS (SELECT 1 FROM customer_consent k WHERE k.customer_id = c.id"
                + " AND k.channel = " + SqlLiteral.text(channel.name()) + " AND k.status = 'OPTED_OUT') THEN "
                + SqlLiteral.text(Suppression.optedOut(channel)));
        if (channel.needsPhone()) {
            sql.append(" WHEN c.phone IS NULL THEN ").append(SqlLiteral.text(Suppression.NO_PHONE));
        }
        if (channel.needsEmail()) {
            sql.append(" WHEN c.email IS NULL THEN ").append(SqlLiteral.text(Suppression.NO_EMAIL));
        }
        return sql.append(" END").toString();
    }

    /**
     * Whether customer c has had at least {@code max} campaign touchpoints (not suppressed) on {@code channel} within
     * {@code window} before now: reads at most {@code max} rows of the caps index.
     */
    public static String campaignReachesAtLeast(Channel channel, Duration window, int max) {
        return "(SELECT count(*) FROM (SELECT 1 FROM touchpoint t WHERE t.customer_id = c.id AND t.channel = "
                + SqlLiteral.text(channel.name()) + " AND t.campaign_run_id IS NOT NULL AND t.status <> 'SUPPRESSED'"
                + " AND t.created_at > now() - " + SqlLiteral.interval(window) + " LIMIT " + max + ") x)";
    }

    /** Why touchpoints are suppressed: one wording for each touchpoint and for the SQL above. */
    static final class Suppression {
        static final String NO_PHONE = "no-phone: the customer has no phone number";
        static final String NO_EMAIL = "no-email: the customer has no email address";

        private Suppression() {
        }

        static String optedOut(Channel channel) {
            return "opted-out: the customer opted out of " + channel;
        }
    }
}
