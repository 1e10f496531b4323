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

    /** A time as the API writes it (ISO-8601 in UTC, to the microsecond the database keeps). */
    private static String iso(String timestamp) {
        return "to_char(" + timestamp + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    }

    /** A touchpoint.created event's data: the touchpoint as {@link TouchpointView} shows it, and whom it reaches. */
    private static final String CREATED_DATA = "jsonb_build_object('touchpoint', jsonb_strip_nulls(jsonb_build_object("
            + "'id', id, 'customerId', customer_id, 'channel', channel, 'purpose', purpose, 'source', source,"
            + " 'status', status, 'statusReason', reason, 'createdAt', " + iso("created_at") + ", 'updatedAt', "
            + iso("created_at") + ", 'campaignRunId', run_id, 'campaignVariant', variant))"
            + " || jsonb_build_object('content', content), 'recipient', jsonb_strip_nulls(jsonb_build_object("
            + "'customerId', customer_id, 'externalId', external_id, 'name', name, 'email', email, 'phone', phone)))";

    /**
     * The data-modifying CTEs that write the new touchpoints of {@code rows} (a CTE with the columns id, customer_id,
     * channel, purpose, content jsonb, source, status, reason, created_at, run_id, variant, and the recipient's
     * external_id, name, email and phone): the touchpoints (their first status is implied, not stored as a history
     * line: see {@link TouchpointStatusChange#first}), and a touchpoint.created message per queued one and subscribed
     * endpoint. The CTE {@code touchpoint_messages} returns a row per message
     * written: whoever counts any wakes the dispatcher ({@link io.headlesscrm.webhook.Outbox#wakeAfterCommit}).
     */
    public static String created(String rows) {
        return "touchpoint_rows AS (INSERT INTO touchpoint (id, customer_id, channel, purpose, content, source, status,"
                + " status_reason, created_at, updated_at, campaign_run_id, campaign_variant) SELECT id, customer_id,"
                + " channel, purpose, content, source, status, reason, created_at, created_at, run_id, variant FROM "
                + rows + "), touchpoint_messages AS (" + Outbox.insert("(SELECT CAST('" + TouchpointService.CREATED
                + "' AS text) AS type, " + Outbox.body(TouchpointService.CREATED, CREATED_DATA) + " AS body FROM "
                + rows + " WHERE status = 'QUEUED') ev") + " RETURNING 1)";
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
