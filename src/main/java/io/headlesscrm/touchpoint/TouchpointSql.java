package io.headlesscrm.touchpoint;

import java.time.Duration;
import java.util.UUID;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;

/**
 * The SQL this package publishes for statements that decide about many customers at once (campaign runs and their
 * dry runs): the same rules {@link TouchpointService} applies to each touchpoint it creates, over {@code customer c},
 * and the one way touchpoints are written ({@link #created}), for the API and campaign runs alike.
 */
public final class TouchpointSql {

    /**
     * The touchpoints as {@code t}, the relation the predicates here ({@link #automated}) are over, for a FROM or
     * JOIN of another feature's statement: columns id, customer_id, channel, status, created_at, campaign_run_id,
     * lead_id and the rest of V6's; read by customer through the caps index (V18) or the (customer_id, id) index.
     */
    public static final String AS_T = "touchpoint t";

    /** The predicate of the caps index (V18): touchpoints that automation sent. */
    private static final String AUTOMATED = "(t.campaign_run_id IS NOT NULL OR t.lead_id IS NOT NULL)"
            + " AND t.status <> 'SUPPRESSED'";

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
     * How many automated touchpoints (from campaign runs and lead rules, not suppressed) customer c has had on
     * {@code channel} within {@code window} before now, counted up to {@code max}: reads at most {@code max} rows of
     * the caps index.
     */
    public static String automatedReachesAtLeast(Channel channel, Duration window, int max) {
        return "(SELECT count(*) FROM (SELECT 1 FROM touchpoint t WHERE "
                + automated(channel, "c.id", "now() - " + SqlLiteral.interval(window)) + " LIMIT " + max + ") x)";
    }

    /**
     * The predicate over touchpoint t of the automated touchpoints {@link #automatedReachesAtLeast} counts: customer
     * {@code customer}'s (SQL) on {@code channel} after {@code since} (SQL), for saying whose they are.
     */
    public static String automated(Channel channel, String customer, String since) {
        return "t.customer_id = " + customer + " AND t.channel = " + SqlLiteral.text(channel.name()) + " AND "
                + AUTOMATED + " AND t.created_at > " + since;
    }

    /**
     * Which of {@code caps} customer c has reached on {@code channel} (its reason), or NULL; {@code pending} (SQL, or
     * null) counts sends to c not yet made that the caps must leave room for.
     */
    public static String capped(Channel channel, java.util.List<FrequencyCap> caps, String pending) {
        if (caps.isEmpty()) {
            return "CAST(NULL AS text)";
        }
        StringBuilder sql = new StringBuilder("CASE");
        for (FrequencyCap cap : caps) {
            sql.append(" WHEN ").append(automatedReachesAtLeast(channel, cap.window(), cap.max()))
                    .append(pending == null ? "" : " + " + pending).append(" >= ")
                    .append(cap.max()).append(" THEN ").append(SqlLiteral.text(cap.reason()));
        }
        return sql.append(" END").toString();
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
     * channel, purpose, content jsonb, source, status, reason, created_at, run_id, variant, lead_id): the touchpoints (their
     * first status is implied, not stored as a history line: see {@link TouchpointStatusChange#first}), and a
     * touchpoint.created message per queued one and subscribed endpoint, rendered when first sent
     * ({@link TouchpointCreatedRenderer}). The CTE {@code touchpoint_messages} returns a row per message written:
     * the statement counts them for {@link Outbox#write}, which runs it.
     */
    public static String created(String rows) {
        return "touchpoint_rows AS (INSERT INTO touchpoint (id, customer_id, channel, purpose, content, source, status,"
                + " status_reason, created_at, updated_at, campaign_run_id, campaign_variant, lead_id) SELECT id,"
                + " customer_id, channel, purpose, content, source, status, reason, created_at, created_at, run_id,"
                + " variant, lead_id FROM "
                + rows + "), touchpoint_messages AS (" + Outbox.insertRendered("(SELECT CAST('" + EventTypes.TOUCHPOINT_CREATED
                + "' AS text) AS type, id AS subject, customer_id AS customer FROM " + rows + " WHERE status = 'QUEUED') ev") + " RETURNING 1)";
    }

    /**
     * The data-modifying CTEs that cancel the QUEUED touchpoints of the leads in {@code leads} (a CTE with a column
     * id), giving {@code reason} (SQL text): each with its history line and a touchpoint.status_changed message per
     * subscribed endpoint, rendered when first sent ({@link TouchpointCreatedRenderer.Cancelled}). The CTE
     * {@code cancelled_messages} returns a row per message written, for the statement to count as the first's.
     */
    public static String cancelled(String leads, String reason) {
        return "cancelled AS (UPDATE touchpoint t SET status = 'CANCELLED', status_reason = " + reason + ","
                + " updated_at = now() WHERE t.lead_id IN (SELECT id FROM " + leads + ") AND t.status = 'QUEUED'"
                + " RETURNING t.id, t.customer_id), cancelled_history AS (INSERT INTO touchpoint_status_change (touchpoint_id, status,"
                + " reason, occurred_at, recorded_at) SELECT id, 'CANCELLED', " + reason + ", now(), now() FROM cancelled),"
                + " cancelled_messages AS (" + Outbox.insertRendered("(SELECT CAST('" + EventTypes.TOUCHPOINT_STATUS_CHANGED
                + "' AS text) AS type, id AS subject, customer_id AS customer FROM cancelled) ev") + " RETURNING 1)";
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
