package io.headlesscrm.touchpoint;

import java.time.Duration;
import java.util.UUID;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.webhook.Outbox;

/**
 * The SQL this package publishes for statements that decide about many customers at once (campaign runs and their
 * dry runs): the same rules {@link TouchpointService} applies to each touchpoint it creates, over {@code customer c},
 * and the one way touchpoints are written ({@link #created}), for the API and campaign runs alike.
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

    /** Fresh touchpoint ids for rows {@link #created} writes: time-ordered (UUIDv7), as every touchpoint's. */
    public static UUID[] newIds(int n) {
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Touchpoint.newId();
        }
        return ids;
    }

    /**
     * The data-modifying CTEs that write the new touchpoints of {@code rows} (a CTE with the columns id, customer_id,
     * channel, purpose, content jsonb, source, status, reason, created_at, run_id, variant): the touchpoints (their
     * first status is implied, not stored as a history line: see {@link TouchpointStatusChange#first}), and a
     * touchpoint.created message per queued one and subscribed endpoint, rendered when first sent
     * ({@link TouchpointCreatedRenderer}). The CTE {@code touchpoint_messages} returns a row per message written:
     * whoever counts any wakes the dispatcher ({@link Outbox#wakeAfterCommit}).
     */
    public static String created(String rows) {
        return "touchpoint_rows AS (INSERT INTO touchpoint (id, customer_id, channel, purpose, content, source, status,"
                + " status_reason, created_at, updated_at, campaign_run_id, campaign_variant) SELECT id, customer_id,"
                + " channel, purpose, content, source, status, reason, created_at, created_at, run_id, variant FROM "
                + rows + "), touchpoint_messages AS (" + Outbox.insertRendered("(SELECT CAST('" + TouchpointService.CREATED
                + "' AS text) AS type, id AS subject FROM " + rows + " WHERE status = 'QUEUED') ev") + " RETURNING 1)";
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
