package io.headlesscrm.tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.headlesscrm.common.Rows;
import io.headlesscrm.customer.CustomerSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for customer_tag. Writes go through the caller's Hibernate Reactive session (so they commit with the audit
 * row); the read of one customer's tags is a prepared statement on the SQL client, like customer lookups by id.
 */
@ApplicationScoped
public class TagAssignments {

    /** One customer's live tags; one row with null tag columns when the customer exists but carries none. */
    private static final String TAGS_OF = "SELECT " + CustomerTagView.COLUMNS + " FROM " + CustomerSql.AS_C
            + " LEFT JOIN customer_tag a ON a.customer_id = c.id AND (a.expires_at IS NULL OR a.expires_at > now())"
            + " LEFT JOIN tag t ON t.id = a.tag_id WHERE c.id = $1 ORDER BY t.key";

    /** The current assignment, if any: source and expiry. */
    record Current(TagSource source, Instant expiresAt) {
    }

    @Inject
    Pool pool;
    @Inject
    Mutiny.SessionFactory sessions;

    /** The customer's tags that have not expired, in key order; null when there is no such customer. */
    Uni<List<CustomerTagView>> tagsOf(UUID customerId) {
        return pool.preparedQuery(TAGS_OF).execute(Tuple.of(customerId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            List<CustomerTagView> tags = new ArrayList<>();
            rows.forEach(r -> {
                if (r.getString(0) != null) {
                    tags.add(CustomerTagView.of(r));
                }
            });
            return tags;
        });
    }

    /** The live tag keys of each customer, in the order of {@code customerIds} and by key: one statement. */
    public Uni<List<List<String>>> keysOf(List<UUID> customerIds) {
        return tagsOf(customerIds).map(tags -> tags.stream().map(each -> each.stream().map(CustomerTagView::key).toList())
                .toList());
    }

    /**
     * The live tags of each customer, in the order of {@code customerIds}: one statement for the whole batch.
     * It runs in a session of its own: GraphQL resolves sibling fields (totalCount) at the same time, and a
     * Hibernate Reactive session must never serve two operations at once.
     */
    Uni<List<List<CustomerTagView>>> tagsOf(List<UUID> customerIds) {
        return Uni.createFrom().deferred(sessions::openSession).flatMap(s -> s.createNativeQuery("SELECT a.customer_id, "
                + CustomerTagView.COLUMNS + " FROM customer_tag a JOIN tag t ON t.id = a.tag_id"
                + " WHERE a.customer_id = ANY(?1) AND (a.expires_at IS NULL OR a.expires_at > now())"
                + " ORDER BY a.customer_id, t.key", Object[].class)
                .setParameter(1, customerIds.toArray(UUID[]::new)).getResultList().eventually(s::close))
                .map(rows -> {
                    Map<UUID, List<CustomerTagView>> byCustomer = new HashMap<>();
                    for (Object[] r : rows) {
                        byCustomer.computeIfAbsent((UUID) r[0], id -> new ArrayList<>()).add(new CustomerTagView(
                                (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                                TagSource.valueOf((String) r[5]), (String) r[6], Rows.instant(r[7]), Rows.instant(r[8])));
                    }
                    return customerIds.stream().map(id -> byCustomer.getOrDefault(id, List.of())).toList();
                });
    }

    /** Locks and reads the assignment (null if none, or if it has expired). */
    Uni<Current> current(UUID customerId, UUID tagId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT source, expires_at FROM customer_tag"
                + " WHERE customer_id = ?1 AND tag_id = ?2 AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE",
                Object[].class).setParameter(1, customerId).setParameter(2, tagId).getResultList())
                .map(rows -> rows.isEmpty() ? null
                        : new Current(TagSource.valueOf((String) rows.get(0)[0]), Rows.instant(rows.get(0)[1])));
    }

    /** Inserts or replaces the assignment (an expired one is replaced too). */
    Uni<Void> upsert(UUID customerId, UUID tagId, TagSource source, String by, Instant at, Instant expiresAt) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO customer_tag"
                + " (customer_id, tag_id, source, assigned_by, assigned_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                + " ON CONFLICT (customer_id, tag_id) DO UPDATE SET source = EXCLUDED.source,"
                + " assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at, expires_at = EXCLUDED.expires_at")
                .setParameter(1, customerId).setParameter(2, tagId).setParameter(3, source.name()).setParameter(4, by)
                .setParameter(5, at).setParameter(6, expiresAt)
                .executeUpdate()).replaceWithVoid();
    }

    Uni<Integer> delete(UUID customerId, UUID tagId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "DELETE FROM customer_tag WHERE customer_id = ?1 AND tag_id = ?2")
                .setParameter(1, customerId).setParameter(2, tagId).executeUpdate());
    }

    Uni<Long> countFor(UUID tagId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT count(*) FROM customer_tag"
                + " WHERE tag_id = ?1 AND (expires_at IS NULL OR expires_at > now())", Long.class)
                .setParameter(1, tagId).getSingleResult());
    }

    /** Live assignments per tag, for the given tags (tags nobody carries are absent). */
    Uni<Map<UUID, Long>> countsFor(List<UUID> tagIds) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT tag_id, count(*) FROM customer_tag"
                + " WHERE tag_id = ANY(?1) AND (expires_at IS NULL OR expires_at > now()) GROUP BY tag_id", Object[].class)
                .setParameter(1, tagIds.toArray(UUID[]::new)).getResultList())
                .map(rows -> {
                    Map<UUID, Long> counts = new HashMap<>();
                    rows.forEach(r -> counts.put((UUID) r[0], ((Number) r[1]).longValue()));
                    return counts;
                });
    }

    /** Removes every assignment of the tag; the customers that carried it. */
    Uni<List<UUID>> deleteAllOf(UUID tagId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "DELETE FROM customer_tag WHERE tag_id = ?1 RETURNING customer_id", UUID.class)
                .setParameter(1, tagId).getResultList());
    }
}
