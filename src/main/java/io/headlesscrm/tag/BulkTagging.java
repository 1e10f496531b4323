package io.headlesscrm.tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.security.Actor;
import io.headlesscrm.common.Rows;
import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Assigns or removes several tags on many customers in one statement each, through the caller's Hibernate
 * Reactive session and transaction, and audits every assignment it creates or removes (entity customer-tag, as a
 * single change would) in one more statement. Both REST bulk requests and background jobs use it.
 */
@ApplicationScoped
class BulkTagging {

    /**
     * Gives each customer each tag it does not carry (an expired assignment counts as not carried and is
     * replaced); assignments already live are left as they are. The customers are locked against deletion first,
     * so one deleted meanwhile is skipped rather than failing the statement.
     */
    private static final String ASSIGN = "INSERT INTO customer_tag (customer_id, tag_id, source, assigned_by,"
            + " assigned_at, expires_at) SELECT c.id, p.tag_id, ?3, ?4, ?5, ?6"
            + " FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS uuid[])) AS p(customer_id, tag_id)"
            + " JOIN (" + CustomerSql.existingKeptFromDeletion("?1") + ") c ON c.id = p.customer_id"
            + " ON CONFLICT (customer_id, tag_id) DO UPDATE SET source = EXCLUDED.source,"
            + " assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at, expires_at = EXCLUDED.expires_at"
            + " WHERE customer_tag.expires_at IS NOT NULL AND customer_tag.expires_at <= now()"
            + " RETURNING customer_id, tag_id";
    /** Removes the assignments; {@code live} tells those customers still carried from lapsed ones. */
    private static final String REMOVE = "DELETE FROM customer_tag WHERE customer_id = ANY(?1) AND tag_id = ANY(?2)"
            + " RETURNING customer_id, tag_id, source, expires_at, (expires_at IS NULL OR expires_at > now())";

    @Inject
    AuditLog audit;
    @Inject
    Outbox outbox;

    /** Assigns every tag to every customer; the number of assignments created. */
    Uni<Integer> assign(List<UUID> customerIds, List<Tag> tags, TagSource source, Instant expiresAt, Actor actor,
            String requestId) {
        Map<UUID, List<Tag>> each = new LinkedHashMap<>();
        customerIds.forEach(id -> each.put(id, tags));
        return assignEach(each, source, expiresAt, actor, requestId, true);
    }

    /**
     * Assigns each customer its own tags, in one statement; the number of assignments created. {@code events} false
     * writes no webhook messages (an import that asked for none).
     */
    Uni<Integer> assignEach(Map<UUID, List<Tag>> tagsByCustomer, TagSource source, Instant expiresAt, Actor actor,
            String requestId, boolean events) {
        List<UUID> customers = new ArrayList<>();
        List<UUID> tagIds = new ArrayList<>();
        Map<UUID, String> keys = new HashMap<>();
        tagsByCustomer.forEach((customer, tags) -> tags.forEach(tag -> {
            customers.add(customer);
            tagIds.add(tag.getId());
            keys.put(tag.getId(), tag.getKey());
        }));
        if (customers.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Instant now = Instant.now();
        Map<String, Object> fields = CustomerTagService.fields(source, expiresAt);
        return Panache.getSession().flatMap(s -> s.createNativeQuery(ASSIGN, Object[].class)
                .setParameter(1, customers.toArray(UUID[]::new)).setParameter(2, tagIds.toArray(UUID[]::new))
                .setParameter(3, source.name()).setParameter(4, actor.type() + ":" + actor.id())
                .setParameter(5, now).setParameter(6, expiresAt).getResultList())
                .call(rows -> audit.appendAll(actor, requestId, CustomerTagService.ENTITY, AuditLog.Action.CREATE,
                        byAuditId(rows, keys, r -> fields)))
                .call(rows -> !events ? Uni.createFrom().voidItem() : outbox.enqueue(rows.stream()
                        .map(r -> CustomerTagService.event(EventTypes.TAG_ASSIGNED, (UUID) r[0],
                                keys.get((UUID) r[1]), source, expiresAt)).toList()).replaceWithVoid())
                .map(List::size);
    }

    /** Removes every tag from every customer; the number of live assignments removed. */
    Uni<Integer> remove(List<UUID> customerIds, List<Tag> tags, Actor actor, String requestId) {
        Map<UUID, String> keys = keys(tags);
        return Panache.getSession().flatMap(s -> s.createNativeQuery(REMOVE, Object[].class)
                .setParameter(1, customerIds.toArray(UUID[]::new)).setParameter(2, keys.keySet().toArray(UUID[]::new))
                .getResultList())
                .map(rows -> rows.stream().filter(r -> Boolean.TRUE.equals(r[4])).toList())
                .call(live -> audit.appendAll(actor, requestId, CustomerTagService.ENTITY, AuditLog.Action.DELETE,
                        byAuditId(live, keys, r -> CustomerTagService.fields(TagSource.valueOf((String) r[2]),
                                Rows.instant(r[3])))))
                .call(live -> outbox.enqueue(live.stream().map(r -> CustomerTagService.event(EventTypes.TAG_REMOVED,
                        (UUID) r[0], keys.get((UUID) r[1]), TagSource.valueOf((String) r[2]), Rows.instant(r[3])))
                        .toList()))
                .map(List::size);
    }

    private static Map<UUID, String> keys(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::getId, Tag::getKey, (a, b) -> a, LinkedHashMap::new));
    }

    /** Returned (customer_id, tag_id, …) rows by their audit id. */
    private static Map<String, Map<String, Object>> byAuditId(List<Object[]> rows, Map<UUID, String> keys,
            Function<Object[], Map<String, Object>> fields) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(CustomerTagService.id((UUID) r[0], keys.get((UUID) r[1])), fields.apply(r)));
        return byId;
    }
}
