package io.headlesscrm.event;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The event tables' SQL: set-based writes of a whole batch (one statement per table), on the batch's connection. */
@ApplicationScoped
public class EventRepository {

    /** One event to store: for a customer (owner is its id) or for an anonymous visitor (owner is the anonymous id). */
    record NewEvent(UUID id, Object owner, OffsetDateTime occurredAt, String eventId, String type, String properties,
            String items, String context) {

        /** The key a replay shares with the stored event. */
        String key() {
            return owner + "|" + occurredAt.toInstant() + "|" + eventId;
        }
    }

    private static final String COLUMNS = "occurred_at, event_id, id, type, properties, items, context, received_at";
    private static final String ROWS = " SELECT o, a, e, i, t, p::jsonb, it::jsonb, cx::jsonb, now() FROM unnest($1::%s[],"
            + " $2::timestamptz[], $3::varchar[], $4::uuid[], $5::varchar[], $6::text[], $7::text[], $8::text[])"
            + " AS x(o, a, e, i, t, p, it, cx) ON CONFLICT DO NOTHING RETURNING %s, occurred_at, event_id";
    private static final String INSERT = "INSERT INTO event (customer_id, " + COLUMNS + ")" + ROWS.formatted("uuid", "customer_id");
    private static final String INSERT_ANONYMOUS = "INSERT INTO anonymous_event (anonymous_id, " + COLUMNS + ")"
            + ROWS.formatted("varchar", "anonymous_id");
    private static final String STORED = "SELECT %s, occurred_at, event_id, id FROM %s WHERE (%1$s, occurred_at, event_id)"
            + " IN (SELECT * FROM unnest($1::%s[], $2::timestamptz[], $3::varchar[]))";

    /** Stores the customers' events; answers the keys of those stored now (the others were stored before). */
    Uni<List<String>> insert(SqlConnection conn, List<NewEvent> events) {
        return conn.preparedQuery(INSERT).execute(tuple(events, UUID[]::new)).map(EventRepository::keys);
    }

    Uni<List<String>> insertAnonymous(SqlConnection conn, List<NewEvent> events) {
        return conn.preparedQuery(INSERT_ANONYMOUS).execute(tuple(events, String[]::new)).map(EventRepository::keys);
    }

    /** The ids of stored events with these keys (replays), by key. */
    Uni<Map<String, UUID>> storedIds(SqlConnection conn, List<NewEvent> events, boolean anonymous) {
        String sql = anonymous ? STORED.formatted("anonymous_id", "anonymous_event", "varchar")
                : STORED.formatted("customer_id", "event", "uuid");
        Object owners = anonymous ? events.stream().map(e -> (String) e.owner()).toArray(String[]::new)
                : events.stream().map(e -> (UUID) e.owner()).toArray(UUID[]::new);
        return conn.preparedQuery(sql).execute(Tuple.of(owners, events.stream().map(NewEvent::occurredAt)
                .toArray(OffsetDateTime[]::new), events.stream().map(NewEvent::eventId).toArray(String[]::new)))
                .map(rows -> {
                    Map<String, UUID> ids = new HashMap<>();
                    for (Row r : rows) {
                        ids.put(r.getValue(0) + "|" + r.getOffsetDateTime(1).toInstant() + "|" + r.getString(2),
                                r.getUUID(3));
                    }
                    return ids;
                });
    }

    /** The customers the given anonymous ids were identified as, by anonymous id. */
    Uni<Map<String, UUID>> identified(SqlConnection conn, List<String> anonymousIds) {
        if (anonymousIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery("SELECT anonymous_id, customer_id FROM anonymous_identity WHERE anonymous_id = ANY($1)")
                .execute(Tuple.of(anonymousIds.toArray(String[]::new))).map(rows -> {
                    Map<String, UUID> linked = new HashMap<>();
                    rows.forEach(r -> linked.put(r.getString(0), r.getUUID(1)));
                    return linked;
                });
    }

    private static <O> Tuple tuple(List<NewEvent> events, java.util.function.IntFunction<O[]> owners) {
        @SuppressWarnings("unchecked")
        O[] owner = events.stream().map(e -> (O) e.owner()).toArray(owners);
        return Tuple.tuple(List.of(owner, events.stream().map(NewEvent::occurredAt).toArray(OffsetDateTime[]::new),
                events.stream().map(NewEvent::eventId).toArray(String[]::new),
                events.stream().map(NewEvent::id).toArray(UUID[]::new),
                events.stream().map(NewEvent::type).toArray(String[]::new),
                events.stream().map(NewEvent::properties).toArray(String[]::new),
                events.stream().map(NewEvent::items).toArray(String[]::new),
                events.stream().map(NewEvent::context).toArray(String[]::new)));
    }

    private static List<String> keys(RowSet<Row> rows) {
        List<String> keys = new java.util.ArrayList<>();
        rows.forEach(r -> keys.add(r.getValue(0) + "|" + r.getOffsetDateTime(1).toInstant() + "|" + r.getString(2)));
        return keys;
    }
}
