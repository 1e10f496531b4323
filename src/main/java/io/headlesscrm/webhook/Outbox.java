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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.AfterCommit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The transactional outbox. {@link #enqueue} writes, through the caller's Hibernate Reactive session, one
 * {@code webhook_message} per event and enabled endpoint subscribed to its type, in a single statement (none when
 * no endpoint matches): the messages commit or roll back with the change that caused them. Call it inside the
 * transaction that makes the change; it registers waking this instance's dispatcher once that commits
 * ({@link AfterCommit}), so every event is looked at at once, not at the next poll.
 */
@ApplicationScoped
public class Outbox {

    /**
     * An event: its type from {@link EventTypes#ALL}, the customer it is about (null when none: campaign runs), kept
     * with its messages so an erasure finds them, and its data, serialised as the body's {@code data}.
     */
    public record Event(String type, UUID customerId, Object data) {
    }

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
     * body yet: the dispatcher renders it when it first claims them (see {@link EventRenderer}). The caller wakes
     * the dispatcher with {@link #wakeAfterCommit} when it wrote any.
     */
    public static String insertRendered(String events) {
        return insert("(SELECT ev.type, CAST(NULL AS text) AS body, ev.subject, ev.customer FROM " + events + ") ev");
    }

    @Inject
    ObjectMapper mapper;
    @Inject
    WebhookDispatcher dispatcher;

    /** Writes the events' messages in the caller's transaction; the number of messages written. */
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
        // other instances' dispatchers find the messages on their next poll
        return Panache.getSession().flatMap(s -> s.createNativeQuery(INSERT)
                .setParameter(1, types).setParameter(2, bodies).setParameter(3, customers).executeUpdate())
                .call(written -> written > 0 ? wakeAfterCommit() : Uni.createFrom().voidItem());
    }

    /** Wakes this instance's dispatcher once the caller's transaction commits, for messages written by {@link #insert}. */
    public Uni<Void> wakeAfterCommit() {
        return AfterCommit.invoke(this::wake);
    }

    /**
     * Wakes this instance's dispatcher now, for messages written in a transaction the caller ran on a connection of
     * its own (not the Hibernate Reactive session's, see {@link #wakeAfterCommit}) and that has committed.
     */
    public void wake() {
        dispatcher.wake();
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
