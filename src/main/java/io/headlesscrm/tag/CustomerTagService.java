package io.headlesscrm.tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Assigning tags to customers and removing them; every change is audited as entity customer-tag. */
@ApplicationScoped
public class CustomerTagService {

    static final String ENTITY = "customer-tag";

    @Inject
    Outbox outbox;
    @Inject
    TagRepository tags;
    @Inject
    TagAssignments assignments;
    @Inject
    CustomerRepository customers;
    @Inject
    AuditLog audit;
    @Inject
    TagCache cache;

    public record Assigned(CustomerTagView tag, boolean created) {
    }

    /** The customer's live tags in key order as JSON, through the cache; 404 for an unknown customer. */
    public Uni<byte[]> tagsOf(UUID customerId) {
        return cache.tagsOf(customerId).onItem().ifNull().switchTo(() -> customers.missing(customerId));
    }

    /**
     * Assigns tag {@code key} (idempotent: assigning again only replaces source and expiry). {@code created}
     * says whether the customer did not carry the tag before.
     */
    public Uni<Assigned> assign(UUID customerId, String key, TagSource source, Instant expiresAt) {
        // the cache is invalidated after the commit and before the answer: a read after it sees the change
        return Panache.withTransaction(() -> AfterCommit.call(() -> cache.invalidate(List.of(customerId)))
                .chain(() -> assignInTransaction(customerId, key, source, expiresAt)));
    }

    private Uni<Assigned> assignInTransaction(UUID customerId, String key, TagSource source, Instant expiresAt) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ProblemException.validation(List.of(new FieldError("expiresAt", "must be in the future")));
        }
        TagSource from = source == null ? TagSource.MANUAL : source;
        return tag(key).call(() -> lockCustomer(customerId)).flatMap(tag -> assignments.current(customerId, tag.getId())
                .flatMap(before -> audit.currentActor().flatMap(actor -> {
                    String by = actor.type() + ":" + actor.id();
                    return assignments.upsert(customerId, tag.getId(), from, by, now, expiresAt)
                            .call(() -> before == null
                                    ? audit.created(ENTITY, id(customerId, key), fields(from, expiresAt))
                                            .call(() -> outbox.enqueue(List.of(event(EventTypes.TAG_ASSIGNED, customerId, key, from,
                                                    expiresAt))))
                                    : audit.updated(ENTITY, id(customerId, key),
                                            fields(before.source(), before.expiresAt()), fields(from, expiresAt)))
                            .map(v -> new Assigned(new CustomerTagView(tag.getKey(), tag.getName(), tag.getCategory(),
                                    tag.getColor(), from, by, now, expiresAt), before == null));
                })));
    }

    /** A tag.assigned or tag.removed webhook event. */
    static Outbox.Event event(String type, UUID customerId, String key, TagSource source, Instant expiresAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("customerId", customerId);
        data.put("tag", key);
        data.put("source", source);
        data.put("expiresAt", expiresAt);
        return new Outbox.Event(type, customerId, data);
    }

    /** Removes tag {@code key} from the customer; removing a tag it does not carry is a 404. */
    public Uni<Void> remove(UUID customerId, String key) {
        return Panache.withTransaction(() -> AfterCommit.call(() -> cache.invalidate(List.of(customerId)))
                .chain(() -> removeInTransaction(customerId, key)));
    }

    private Uni<Void> removeInTransaction(UUID customerId, String key) {
        return tag(key).call(() -> lockCustomer(customerId)).flatMap(tag -> assignments.current(customerId, tag.getId())
                .flatMap(before -> {
                    if (before == null) {
                        throw ProblemException.notFound("Tag " + key + " on customer", customerId);
                    }
                    return assignments.delete(customerId, tag.getId())
                            .call(() -> audit.deleted(ENTITY, id(customerId, key),
                                    fields(before.source(), before.expiresAt())))
                            .call(() -> outbox.enqueue(List.of(event(EventTypes.TAG_REMOVED, customerId, key, before.source(),
                                    before.expiresAt()))))
                            .replaceWithVoid();
                }));
    }

    /**
     * Locks the customer's row against other tag changes to it until the transaction ends (customer updates wait
     * too; bulk changes do not, they only keep it from being deleted). Without it, two first assignments of
     * one tag at once would both find none and both report and audit a creation.
     */
    private Uni<Void> lockCustomer(UUID customerId) {
        return customers.lockForChange(customerId).flatMap(exists -> exists ? Uni.createFrom().voidItem()
                : customers.missing(customerId));
    }

    private Uni<Tag> tag(String key) {
        return tags.findByKey(key).onItem().ifNull().failWith(() -> new ProblemException(422, "unknown-tag",
                "Unknown tag", "There is no tag with key '" + key + "'; define it with POST /api/v1/tags",
                List.of(new FieldError("key", "unknown tag"))));
    }

    /** The audit id of an assignment. */
    static String id(UUID customerId, String key) {
        return customerId + "/" + key;
    }

    /** An assignment's audited fields. */
    static Map<String, Object> fields(TagSource source, Instant expiresAt) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("source", source.name());
        fields.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        return fields;
    }
}
