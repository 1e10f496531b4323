package io.headlesscrm.lead;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way leads are written: made (their first history line, NEW by their rule, is implied by the lead), and
 * moved from one status to another with a history line, each with its webhook message (rendered when first sent
 * from the lead or the history line: {@link LeadEventRenderer}) in the statement that changes the lead, on the caller's
 * connection and transaction (through the {@link Outbox}, which wakes the dispatcher once it commits).
 */
@ApplicationScoped
class Leads {


    /** Who changed a lead, as its history names them. */
    record By(String type, String id) {
        static final By SERVICE = new By("system", "system");

        static By rule(String key) {
            return new By("rule", key);
        }
    }

    private static final String CREATE = "WITH f AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[],"
            + " $5::bigint[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::timestamptz[],"
            + " $12::bigint[]) AS f(customer_id, id, rule_id, rule_key, rule_version, dedup_key, type, priority, score,"
            + " trace, triggered_at, expires_after)),"
            + " fresh AS (INSERT INTO lead (customer_id, id, rule_id, rule_key, rule_version, dedup_key, type, priority,"
            + " score, status, trace, triggered_at, created_at, updated_at, expires_at) SELECT customer_id, id, rule_id,"
            + " rule_key, rule_version, dedup_key, type, priority, score, 'NEW', trace::jsonb, triggered_at, now(), now(),"
            + " now() + make_interval(secs => expires_after) FROM f"
            + " ON CONFLICT (customer_id, rule_id, dedup_key) DO NOTHING RETURNING id, customer_id),"
            + " messages AS (" + Outbox.insertRendered("(SELECT CAST('" + EventTypes.LEAD_CREATED + "' AS text) AS type, id AS subject,"
                    + " customer_id AS customer FROM fresh) ev") + " RETURNING 1)"
            + " SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM messages) AS " + Outbox.MESSAGES + ","
            + " (SELECT coalesce(array_agg(id), '{}') FROM fresh)";

    /** Moves leads in one of {@code from} to {@code to}: $1 ids, $2 from, $3 to, $4 actor type, $5 its id, $6 notes, $7 assignee. */
    private static final String MOVE = "WITH moved AS (UPDATE lead l SET status = $3::text, assignee = CASE WHEN"
            + " $3::text = 'ASSIGNED' THEN $7::text ELSE l.assignee END, updated_at = now(), version = l.version + 1"
            + " FROM lead o, unnest($1::uuid[], $6::text[]) AS x(id, note) WHERE l.id = x.id AND o.customer_id = l.customer_id"
            + " AND o.id = l.id AND o.status = ANY($2) RETURNING l.customer_id, l.id, o.status AS from_status, l.assignee, x.note),"
            + " hist AS (INSERT INTO lead_history (customer_id, lead_id, id, at, from_status, to_status, assignee,"
            + " actor_type, actor_id, note) SELECT customer_id, id, uuid_v7(), now(), from_status, $3::text, assignee,"
            + " $4::text, $5::text, note FROM moved RETURNING id, customer_id),"
            + " messages AS (" + Outbox.insertRendered("(SELECT CASE WHEN $3::text = 'ASSIGNED' THEN '" + EventTypes.LEAD_ASSIGNED
                    + "' ELSE '" + EventTypes.LEAD_STATUS_CHANGED + "' END AS type, id AS subject, customer_id AS customer FROM hist) ev") + " RETURNING 1),"
            // a lead closed before its reach: the touchpoints its rule made and no partner has sent yet are cancelled
            + " closing AS (SELECT id FROM moved WHERE $3::text = ANY(ARRAY" + LeadStatus.CANCELS_REACH.stream()
                    .map(st -> "'" + st.name() + "'").toList() + ")), "
            + TouchpointSql.cancelled("closing", "'lead-closed: the lead became ' || $3::text")
            + " SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM messages) + (SELECT count(*) FROM"
            + " cancelled_messages) AS " + Outbox.MESSAGES;

    /** What a write did: leads made or moved, and (when made) the new leads' ids. */
    record Written(long leads, java.util.Set<UUID> made) {
        static final Written NONE = new Written(0, java.util.Set.of());
    }

    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;

    static UUID newId() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }

    /** Makes the leads the rules fired for these customers; one made before (same rule and cause) is left as it is. */
    Uni<Written> create(SqlConnection conn, List<LeadMatcher.Fire> fires) {
        if (fires.isEmpty()) {
            return Uni.createFrom().item(Written.NONE);
        }
        int n = fires.size();
        UUID[] customer = new UUID[n];
        UUID[] id = new UUID[n];
        UUID[] rule = new UUID[n];
        String[] key = new String[n];
        Long[] version = new Long[n];
        String[] dedup = new String[n];
        String[] type = new String[n];
        String[] priority = new String[n];
        Integer[] score = new Integer[n];
        String[] trace = new String[n];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[n];
        Long[] expiresAfter = new Long[n];
        for (int i = 0; i < n; i++) {
            LeadMatcher.Fire f = fires.get(i);
            LeadRuleInput.Output out = f.rule().definition().lead();
            customer[i] = f.customerId();
            id[i] = f.leadId();
            rule[i] = f.rule().ruleId();
            key[i] = f.rule().key();
            version[i] = f.rule().version();
            dedup[i] = f.dedupKey();
            type[i] = out.type();
            priority[i] = (out.priority() == null ? LeadPriority.NORMAL : out.priority()).name();
            score[i] = out.score() == null ? 50 : out.score();
            trace[i] = Jsons.text(mapper, LeadView.Trace.of(f));
            at[i] = f.triggeredAt().atOffset(java.time.ZoneOffset.UTC);
            expiresAfter[i] = out.expiresAfter() == null ? null : out.expiresAfter().toSeconds();
        }
        return outbox.write(conn, CREATE, Tuple.tuple(List.of(customer, id, rule, key, version, dedup, type,
                priority, score, trace, at, expiresAfter))).map(Leads::written);
    }

    /**
     * Moves the leads among {@code ids} that are in one of {@code from} to {@code to} (ASSIGNED: to {@code assignee}),
     * each with a history line naming {@code by} and its note ({@code notes}, in the order of {@code ids}).
     */
    Uni<Written> move(SqlConnection conn, UUID[] ids, String[] notes, List<LeadStatus> from, LeadStatus to,
            String assignee, By by) {
        if (ids.length == 0) {
            return Uni.createFrom().item(Written.NONE);
        }
        return outbox.write(conn, MOVE, Tuple.tuple(List.of(ids, from.stream().map(Enum::name)
                .toArray(String[]::new), to.name(), by.type(), by.id(), notes)).addValue(assignee))
                .map(Leads::written);
    }

    private static Written written(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        var r = rows.iterator().next();
        return new Written(r.getLong(0), r.size() > 2 ? java.util.Set.of(r.getArrayOfUUIDs(2))
                : java.util.Set.of());
    }
}
