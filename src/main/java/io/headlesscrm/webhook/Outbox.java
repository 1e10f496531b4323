package io.headlesscrm.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.AfterCommit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The transactional outbox: every webhook message is written (or made due again) through it, in the caller's
 * transaction, so the messages commit or roll back with the change that caused them. Each write registers, on that
 * transaction ({@link AfterCommit}), announcing {@link Due} once it commits, when it wrote any: the dispatcher of
 * this instance then looks at them at once, not at its next poll, and no caller can forget to wake it. Other
 * instances' dispatchers find the messages on their next poll.
 * <ul>
 * <li>{@link #enqueue}: events with their bodies, through the caller's Hibernate Reactive session;</li>
 * <li>{@link #write(SqlConnection, String, Tuple)} and {@link #write(Mutiny.SelectionQuery)}: a statement of the
 * caller's that writes messages with {@link #insertRendered} inside a change of its own (one round trip).</li>
 * </ul>
 */
@ApplicationScoped
public class Outbox {

    /**
     * An event: its type from {@link EventTypes#ALL}, the customer it is about (null when none: campaign runs), kept
     * with its messages so an erasure finds them, and its data, serialised as the body's {@code data}.
     */
    public record Event(String type, UUID customerId, Object data) {
    }

    /** Fired once a transaction that wrote messages (or made some due again) has committed. */
    public record Due() {
        static final Due INSTANCE = new Due();
    }

    /** The column in which a statement run with {@link #write(SqlConnection, String, Tuple)} counts its messages. */
    public static final String MESSAGES = "webhook_messages";

    private static final String INSERT = insert("(SELECT ev.type, ev.body, CAST(NULL AS uuid) AS subject, ev.customer"
            + " FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[]), CAST(?3 AS uuid[])) AS ev(type, body, customer)) ev");

    /**
     * The enabled endpoints are read and locked once per statement (FOR KEY SHARE: deleting one waits for the
     * transaction, whose messages its trigger then deletes; see V15), not checked per message by a foreign key; ids
     * are time-ordered (uuid_v7). Each endpoint's filters meet the three that select the type: itself, its group's
     * wildcard and *.
     */
    private static String insert(String events) {
        return "WITH subscribed AS MATERIALIZED (SELECT id, event_types FROM webhook_endpoint WHERE enabled"
                + " FOR KEY SHARE) INSERT INTO webhook_message (id, endpoint_id, event_type, body, subject_id,"
                + " customer_id, state, next_attempt_at, created_at) SELECT uuid_v7(), e.id, ev.type, ev.body, ev.subject,"
                + " ev.customer, 'PENDING', now(),"
                + " now() FROM " + events + " JOIN subscribed e"
                + " ON e.event_types && CAST(ARRAY[ev.type, split_part(ev.type, '.', 1) || '.*', '*'] AS varchar[])";
    }

    /**
     * The statement that writes, in a statement of the caller's, the messages of {@code events}: a relation
     * {@code ev(type, subject, customer)}, one row per event of a type an {@link EventRenderer} renders. The messages carry no
     * body yet: the dispatcher renders it when it first claims them (see {@link EventRenderer}). Run the
     * statement with {@code write}, which wakes the dispatcher after the commit.
     */
    public static String insertRendered(String events) {
        return insert("(SELECT ev.type, CAST(NULL AS text) AS body, ev.subject, ev.customer FROM " + events + ") ev");
    }

    @Inject
    ObjectMapper mapper;
    @Inject
    jakarta.enterprise.event.Event<Due> due;

    /** Writes the events' messages in the caller's Hibernate transaction; the number of messages written. */
    public Uni<Integer> enqueue(List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String[] types = new String[events.size()];
        String[] bodies = new String[events.size()];
        UUID[] customers = new UUID[events.size()];
        for (int i = 0; i < types.length; i++) {
            Event event = events.get(i);
            if (!EventTypes.ALL.contains(event.type())) {
                throw new IllegalArgumentException("Unknown event type " + event.type());
            }
            types[i] = event.type();
            bodies[i] = body(event.type(), timestamp, event.data());
            customers[i] = event.customerId();
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery(INSERT)
                .setParameter(1, types).setParameter(2, bodies).setParameter(3, customers).executeUpdate())
                .call(written -> written > 0 ? AfterCommit.invoke(this::announce) : Uni.createFrom().voidItem());
    }

    /**
     * Runs, in the caller's Hibernate transaction, a statement whose single result is the number of messages it
     * wrote (or made due); that number.
     */
    public Uni<Long> write(Mutiny.SelectionQuery<Long> statement) {
        return statement.getSingleResult()
                .call(written -> written > 0 ? AfterCommit.invoke(this::announce) : Uni.createFrom().voidItem());
    }

    /**
     * Runs, in the SQL-client transaction {@code conn} is in, a statement that counts the messages it wrote (or made
     * due) in its column {@link #MESSAGES} (summed over its rows); its rows.
     */
    public Uni<RowSet<Row>> write(SqlConnection conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).invoke(rows -> {
            long written = 0;
            for (Row row : rows) {
                written += row.getLong(MESSAGES);
            }
            if (written > 0) {
                AfterCommit.invoke(conn, this::announce);
            }
        });
    }

    private void announce() {
        due.fire(Due.INSTANCE);
    }

    /**
     * Event data built as a map leaves out its absent values, as records do (quarkus.jackson.serialization-inclusion):
     * one rule for REST and webhook bodies. Nested maps (customer attributes) are kept as they are.
     */
    private static Object withoutNulls(Object data) {
        if (data instanceof Map<?, ?> map && map.values().stream().anyMatch(Objects::isNull)) {
            Map<Object, Object> present = new LinkedHashMap<>(map);
            present.values().removeIf(Objects::isNull);
            return present;
        }
        return data;
    }

    /** The Standard Webhooks payload shape: {@code {"type", "timestamp", "data"}}; the timestamp to the millisecond. */
    String body(String type, String timestamp, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp);
        body.put("data", withoutNulls(data));
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a " + type + " event", e);
        }
    }
}
