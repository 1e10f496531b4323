package io.headlesscrm.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.event.EventRepository.NewEvent;
import io.headlesscrm.property.PropertyCatalog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Takes batches of events: each item is read and checked alone ({@link EventChecks}, then against the declared
 * properties of its type, read once per batch), the customers of the whole
 * batch are resolved and locked in one query, and the batch's events are stored with one statement per table, in one
 * transaction on the SQL client (the ingestion path, kept off Hibernate's session for throughput).
 */
@ApplicationScoped
public class EventService {

    @Inject
    Pool pool;
    @Inject
    EventChecks checks;
    @Inject
    EventRepository events;
    @Inject
    CustomerRepository customers;
    @Inject
    PropertyCatalog catalog;

    /** A checked item, waiting for its customer to be resolved. */
    private record Pending(int index, EventInput input, NewEvent event) {
    }

    public Uni<EventBatch.Result> ingest(List<?> items) {
        if (items == null || items.isEmpty() || items.size() > EventBatch.MAX_ITEMS) {
            throw ProblemException.validation(List.of(new FieldError("items",
                    "must hold 1 to " + EventBatch.MAX_ITEMS + " events")));
        }
        Instant now = Instant.now();
        Outcome outcome = new Outcome(items.size());
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            EventChecks.Checked checked = checks.check(items.get(i), now);
            if (checked.errors().isEmpty()) {
                EventInput in = checked.input();
                pending.add(new Pending(i, in, new NewEvent(UuidVersion7Strategy.INSTANCE.generateUuid(null), null,
                        in.occurredAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC), in.eventId(),
                        in.type(), checked.properties(), checked.items(), checked.context())));
            } else {
                outcome.reject(i, checked.errors());
            }
        }
        if (pending.isEmpty()) {
            return Uni.createFrom().item(outcome.result());
        }
        Set<String> types = new HashSet<>();
        pending.forEach(p -> types.add(p.input().type()));
        return catalog.eventProperties(types).flatMap(declared -> {
            List<Pending> typed = new ArrayList<>();
            for (Pending p : pending) {
                List<FieldError> errors = declared.check("properties", p.input().type(), p.input().properties());
                if (errors.isEmpty()) {
                    typed.add(p);
                } else {
                    outcome.reject(p.index(), errors);
                }
            }
            return typed.isEmpty() ? Uni.createFrom().voidItem()
                    : pool.withTransaction(conn -> store(conn, typed, outcome));
        }).map(v -> outcome.result());
    }

    private Uni<Void> store(SqlConnection conn, List<Pending> pending, Outcome outcome) {
        Set<UUID> ids = new HashSet<>();
        Set<String> externalIds = new HashSet<>();
        Set<String> anonymousIds = new HashSet<>();
        pending.forEach(p -> {
            if (p.input().customerId() != null) {
                ids.add(p.input().customerId());
            } else if (p.input().externalId() != null) {
                externalIds.add(p.input().externalId());
            } else {
                anonymousIds.add(p.input().anonymousId());
            }
        });
        return events.identified(conn, List.copyOf(anonymousIds)).flatMap(linked -> {
            ids.addAll(linked.values());
            return customers.lockForEvents(conn, ids, externalIds).flatMap(found -> {
                List<Pending> known = new ArrayList<>();
                List<Pending> anonymous = new ArrayList<>();
                for (Pending p : pending) {
                    EventInput in = p.input();
                    UUID customer = in.customerId() != null ? found.get(in.customerId())
                            : in.externalId() != null ? found.get(in.externalId())
                            : linked.containsKey(in.anonymousId()) ? found.get(linked.get(in.anonymousId())) : null;
                    if (customer != null) {
                        known.add(owned(p, customer));
                    } else if (in.anonymousId() != null) {
                        anonymous.add(owned(p, in.anonymousId()));
                    } else {
                        String field = in.customerId() != null ? "customerId" : "externalId";
                        outcome.reject(p.index(), List.of(new FieldError(field, "no customer has this " + field)));
                    }
                }
                return write(conn, known, false, outcome)
                        .flatMap(stored -> touch(conn, stored))
                        .flatMap(v -> write(conn, anonymous, true, outcome)).replaceWithVoid();
            });
        });
    }

    private static Pending owned(Pending p, Object owner) {
        NewEvent e = p.event();
        return new Pending(p.index(), p.input(), new NewEvent(e.id(), owner, e.occurredAt(), e.eventId(), e.type(),
                e.properties(), e.items(), e.context()));
    }

    /** Stores the events, records each item's outcome, and answers the events stored now. */
    private Uni<List<NewEvent>> write(SqlConnection conn, List<Pending> batch, boolean anonymous, Outcome outcome) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<NewEvent> rows = batch.stream().map(Pending::event).toList();
        return (anonymous ? events.insertAnonymous(conn, rows) : events.insert(conn, rows)).flatMap(inserted -> {
            Set<String> now = new HashSet<>(inserted);
            List<NewEvent> replays = rows.stream().filter(e -> !now.contains(e.key())).toList();
            Uni<Map<String, UUID>> before = replays.isEmpty() ? Uni.createFrom().item(Map.of())
                    : events.storedIds(conn, replays, anonymous);
            return before.map(stored -> {
                List<NewEvent> fresh = new ArrayList<>();
                Set<String> taken = new HashSet<>();
                for (Pending p : batch) {
                    NewEvent e = p.event();
                    // a key twice in one batch: the first is stored, the second is its replay
                    if (now.contains(e.key()) && taken.add(e.key())) {
                        outcome.accept(p.index(), e.id(), false);
                        fresh.add(e);
                    } else {
                        UUID id = stored.get(e.key());
                        outcome.accept(p.index(), id != null ? id : idOf(fresh, e), true);
                    }
                }
                return fresh;
            });
        });
    }

    private static UUID idOf(List<NewEvent> fresh, NewEvent replay) {
        return fresh.stream().filter(e -> e.key().equals(replay.key())).findFirst().map(NewEvent::id).orElseThrow();
    }

    private Uni<Void> touch(SqlConnection conn, List<NewEvent> stored) {
        if (stored.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return customers.touchLastActive(conn, stored.stream().map(e -> (UUID) e.owner()).toArray(UUID[]::new),
                stored.stream().map(NewEvent::occurredAt).toArray(java.time.OffsetDateTime[]::new));
    }

    /** Each item's fate, in the order of the batch. */
    private static final class Outcome {
        private final EventBatch.Accepted[] accepted;
        private final List<EventBatch.Rejected> rejected = new ArrayList<>();

        Outcome(int size) {
            accepted = new EventBatch.Accepted[size];
        }

        void accept(int index, UUID id, boolean duplicate) {
            accepted[index] = new EventBatch.Accepted(index, id, duplicate);
        }

        void reject(int index, List<FieldError> errors) {
            rejected.add(new EventBatch.Rejected(index, errors));
        }

        EventBatch.Result result() {
            List<EventBatch.Accepted> items = new ArrayList<>();
            for (EventBatch.Accepted a : accepted) {
                if (a != null) {
                    items.add(a);
                }
            }
            rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
            int duplicates = (int) items.stream().filter(EventBatch.Accepted::duplicate).count();
            return new EventBatch.Result(items.size() - duplicates, duplicates, rejected.size(), items, rejected);
        }
    }
}
