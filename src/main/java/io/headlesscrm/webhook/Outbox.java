package io.headlesscrm.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The transactional outbox. {@link #enqueue} writes, through the caller's Hibernate Reactive session, one
 * {@code webhook_message} per event and enabled endpoint subscribed to its type, in a single statement (none when
 * no endpoint matches): the messages commit or roll back with the change that caused them. Call it inside the
 * transaction that makes the change, and {@link #committed} once it has committed, so the dispatcher looks at once.
 */
@ApplicationScoped
public class Outbox {

    /** An event: its type from {@link EventTypes#ALL} and its data, serialised as the body's {@code data}. */
    public record Event(String type, Object data) {
    }

    // each endpoint's filters meet the three that select the type: itself, its group's wildcard and *
    private static final String INSERT = "INSERT INTO webhook_message (id, endpoint_id, event_type, body, state,"
            + " next_attempt_at, created_at) SELECT gen_random_uuid(), e.id, ev.type, ev.body, 'PENDING', now(), now()"
            + " FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[])) AS ev(type, body)"
            + " JOIN webhook_endpoint e ON e.enabled"
            + " AND e.event_types && ARRAY[ev.type, split_part(ev.type, '.', 1) || '.*', '*']";

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
        for (int i = 0; i < types.length; i++) {
            Event event = events.get(i);
            if (!EventTypes.ALL.contains(event.type())) {
                throw new IllegalArgumentException("Unknown event type " + event.type());
            }
            types[i] = event.type();
            bodies[i] = body(event, timestamp);
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery(INSERT)
                .setParameter(1, types).setParameter(2, bodies).executeUpdate());
    }

    /** Tells this instance's dispatcher that messages were committed; others find them on their next poll. */
    public void committed() {
        dispatcher.wake();
    }

    /** The Standard Webhooks payload shape: {@code {"type", "timestamp", "data"}}. */
    private String body(Event event, String timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("timestamp", timestamp);
        body.put("data", event.data());
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a " + event.type() + " event", e);
        }
    }
}
