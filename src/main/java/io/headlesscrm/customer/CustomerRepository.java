package io.headlesscrm.customer;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.customer.SegmentKeys.Membership;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Customers in SQL: the entity through Panache, the hot reads by id through the SQL client, the lists and the
 * background jobs' walks by a {@link CustomerFilter} ({@link CustomerFilterHql}), and what other features ask of
 * customers in a call of their own: existence and locks, contacts, merged-away ids' survivors. SQL that other
 * features build into their own statements is {@link CustomerSql}'s.
 */
@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<Customer, UUID> {

    private static final String VIEW_BY_ID = "SELECT " + CustomerView.COLUMNS + " FROM customer WHERE id = $1";

    @Inject
    Pool pool;
    @Inject
    SegmentKeys segmentKeys;

    /**
     * The hot read path: one prepared statement on the SQL client, without a Hibernate session and persistence
     * context (about 1.7x the throughput of {@code findById} in A/B runs of src/bench's lookup). Writes stay on
     * Hibernate Reactive.
     */
    public Uni<CustomerView> findViewById(UUID id) {
        return pool.preparedQuery(VIEW_BY_ID).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : CustomerView.of(rows.iterator().next()));
    }

    /** The customer with this external id, or the one a customer who had it was merged into (an alias). */
    public Uni<Customer> findByExternalId(String externalId) {
        return find("externalId", externalId).firstResult().flatMap(c -> c != null ? Uni.createFrom().item(c)
                : getSession().flatMap(s -> s.createNativeQuery("SELECT customer_id FROM customer_alias"
                        + " WHERE external_id = ?1", UUID.class).setParameter(1, externalId).getResultList())
                        .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().nullItem() : findById(ids.get(0))));
    }

    /** The customer a merged-away customer's id now names (an alias), or null; asked only when no customer has the id. */
    public Uni<UUID> survivorOf(UUID id) {
        return pool.preparedQuery("SELECT customer_id FROM customer_alias WHERE alias_id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    /**
     * Fails as a request naming a customer that does not exist should: 308 to the survivor's URL when the id is an
     * alias ({@link io.headlesscrm.common.error.Moved}), else 404.
     */
    public <T> Uni<T> missing(UUID id) {
        return survivorOf(id).map(survivor -> {
            throw survivor == null ? ProblemException.notFound("Customer", id) : new Moved("Customer", id, survivor);
        });
    }

    /**
     * Those of {@code ids} that are merged-away customers' (aliases), each with the survivor it names, read in the
     * caller's session: a request body's customer ids reach the survivor as a path's would (after a 308).
     */
    public Uni<Map<UUID, UUID>> survivorsOf(Collection<UUID> ids) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT alias_id, customer_id FROM customer_alias"
                + " WHERE alias_id = ANY(?1)", Object[].class).setParameter(1, ids.toArray(UUID[]::new)).getResultList())
                .map(rows -> {
                    Map<UUID, UUID> survivors = new HashMap<>();
                    rows.forEach(r -> survivors.put((UUID) r[0], (UUID) r[1]));
                    return survivors;
                });
    }

    /** The external ids of the customers merged into this one (its aliases), read in the caller's session. */
    public Uni<List<String>> aliasExternalIds(UUID id) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT external_id FROM customer_alias"
                + " WHERE customer_id = ?1 AND external_id IS NOT NULL", String.class).setParameter(1, id).getResultList());
    }

    /** A group of customers sharing a contact value: the value, how many, and the first ids, oldest first. */
    public record Shared(String value, long count, List<UUID> ids) {
    }

    /**
     * Up to {@code limit} values of {@code column} (a column or an expression of {@code customer}) that several
     * customers share, after {@code after} in order of the value, each with its first {@code shown} customers' ids.
     */
    public Uni<List<Shared>> shared(String column, String after, int limit, int shown) {
        return pool.preparedQuery("SELECT " + column + ", (array_agg(id ORDER BY created_at, id))[1:" + shown + "],"
                + " count(*) FROM customer WHERE " + column + " > $1 GROUP BY " + column + " HAVING count(*) > 1"
                + " ORDER BY " + column + " LIMIT $2").execute(Tuple.of(after, limit)).map(rows -> {
                    List<Shared> groups = new ArrayList<>();
                    rows.forEach(r -> groups.add(new Shared(r.getString(0), r.getLong(2), List.of(r.getArrayOfUUIDs(1)))));
                    return groups;
                });
    }

    /** {@link #findViewById}, through an alias when no customer has the id. */
    public Uni<CustomerView> findViewOrSurvivor(UUID id) {
        return findViewById(id).flatMap(view -> view != null ? Uni.createFrom().item(view)
                : survivorOf(id).flatMap(survivor -> survivor == null ? Uni.createFrom().nullItem()
                        : findViewById(survivor)));
    }

    /** {@code findById}, through an alias when no customer has the id. */
    public Uni<Customer> findOrSurvivor(UUID id) {
        return findById(id).flatMap(c -> c != null ? Uni.createFrom().item(c)
                : survivorOf(id).flatMap(survivor -> survivor == null ? Uni.createFrom().nullItem()
                        : findById(survivor)));
    }

    /** What a feature that reaches customers (touchpoints) needs to know of one. */
    public record Contact(UUID id, String externalId, String name, String email, String phone) {
    }

    /**
     * How many customers a compiled segment predicate over {@code customer c} selects, and the first {@code limit} by
     * id, in one statement: the matching ids are computed once (a materialised set, so the planner cannot turn the
     * sample into a probe per customer in id order), then counted and sampled.
     */
    public Uni<Map.Entry<Long, List<CustomerView>>> matching(String predicate, int limit) {
        String sql = "WITH m AS MATERIALIZED (SELECT c.id FROM customer c WHERE " + predicate + "), sample AS (SELECT "
                + CustomerView.COLUMNS + " FROM customer WHERE id IN (SELECT id FROM m ORDER BY id LIMIT " + limit + "))"
                + " SELECT sample.*, t.total FROM (SELECT count(*) AS total FROM m) t LEFT JOIN sample ON true"
                + " ORDER BY sample.id";
        return pool.query(sql).execute().map(rows -> {
            long total = 0;
            List<CustomerView> views = new java.util.ArrayList<>();
            for (Row r : rows) {
                total = r.getLong("total");
                if (r.getUUID(0) != null) {
                    views.add(CustomerView.of(r));
                }
            }
            return Map.entry(total, views);
        });
    }

    /** One attribute of each of these customers (as text; absent when a customer has none), on the caller's connection. */
    public Uni<Map<UUID, String>> attribute(SqlConnection conn, Collection<UUID> ids, String name) {
        return conn.preparedQuery("SELECT id, attributes ->> $2 FROM customer WHERE id = ANY($1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(ids.toArray(UUID[]::new), name)).map(rows -> {
                    Map<UUID, String> values = new HashMap<>();
                    for (Row r : rows) {
                        if (r.getString(1) != null) {
                            values.put(r.getUUID(0), r.getString(1));
                        }
                    }
                    return values;
                });
    }

    /** The contact details of those of {@code ids} that exist, read in the caller's session (and transaction). */
    public Uni<Map<UUID, Contact>> contacts(Collection<UUID> ids) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT id, external_id, name, email, phone"
                + " FROM customer WHERE id = ANY(?1)", Object[].class).setParameter(1, ids.toArray(UUID[]::new))
                .getResultList()).map(rows -> {
                    Map<UUID, Contact> byId = new HashMap<>();
                    for (Object[] r : rows) {
                        byId.put((UUID) r[0], new Contact((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                                (String) r[4]));
                    }
                    return byId;
                });
    }

    /**
     * The advisory lock space of work done per customer in the background: the lead matcher holds
     * (WORK_LOCK, hashtext(id)) while it works a customer (V18's deletion trigger takes it too).
     */
    public static final int WORK_LOCK = 0x1ead;

    /**
     * Waits for background work on the customer to finish and keeps new work off it until the caller's transaction
     * ends: taken before the customer's row is deleted, so a deletion waits for a matcher step on them rather than
     * deadlocking with it (the step's foreign-key checks would wait for the deleted row).
     */
    public Uni<Void> lockAgainstWork(UUID id) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock("
                + WORK_LOCK + ", hashtext(?1))) x", Long.class).setParameter(1, id.toString()).getSingleResult())
                .replaceWithVoid();
    }

    /** Whether the customer exists, read in the caller's session. */
    public Uni<Boolean> exists(UUID id) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT count(*) FROM customer WHERE id = ?1", Long.class)
                .setParameter(1, id).getSingleResult()).map(n -> n > 0);
    }

    /**
     * Locks the customer's row as an update of it would (FOR NO KEY UPDATE) until the caller's transaction ends:
     * other changes to it wait. False: no such customer.
     */
    public Uni<Boolean> lockForChange(UUID id) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT 1 FROM customer WHERE id = ?1 FOR NO KEY UPDATE",
                Integer.class).setParameter(1, id).getResultList()).map(rows -> !rows.isEmpty());
    }

    /** The customers among {@code ids} that exist, kept from being deleted (FOR KEY SHARE) until the transaction ends. */
    public Uni<Set<UUID>> lockExisting(Collection<UUID> ids) {
        return getSession().flatMap(s -> s.createNativeQuery(CustomerSql.existingKeptFromDeletion("?1"), UUID.class)
                .setParameter(1, ids.toArray(UUID[]::new)).getResultList()).map(HashSet::new);
    }

    /**
     * For an event batch on {@code conn}: the customers named by id or external id that exist, as id → id and
     * external id → id, locked as an update would lock them (in id order, so concurrent batches cannot deadlock)
     * until the batch's transaction ends: none is deleted under the batch.
     */
    public Uni<Map<Object, UUID>> lockForEvents(SqlConnection conn, Collection<UUID> ids, Collection<String> externalIds) {
        if (ids.isEmpty() && externalIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // a merged-away customer's id or external id (an alias) names the survivor. The ids are gathered apart, each
        // by its index: "id = ANY OR external_id = ANY OR id IN (aliases)" in one WHERE read the whole table
        return conn.preparedQuery("WITH a AS (SELECT alias_id, external_id, customer_id FROM customer_alias"
                + " WHERE alias_id = ANY($1) OR external_id = ANY($2)), named AS (SELECT id FROM customer WHERE id = ANY($1)"
                + " UNION SELECT id FROM customer WHERE external_id = ANY($2) UNION SELECT customer_id FROM a)"
                + " SELECT c.id, c.external_id, a.alias_id, a.external_id FROM customer c LEFT JOIN a ON a.customer_id = c.id"
                + " WHERE c.id IN (SELECT id FROM named) ORDER BY c.id FOR NO KEY UPDATE OF c")
                .execute(Tuple.of(ids.toArray(UUID[]::new), externalIds.toArray(String[]::new))).map(rows -> {
                    Map<Object, UUID> found = new HashMap<>();
                    for (Row r : rows) {
                        UUID id = r.getUUID(0);
                        found.put(id, id);
                        for (Object key : new Object[] { r.getString(1), r.getUUID(2), r.getString(3) }) {
                            if (key != null) {
                                found.put(key, id);
                            }
                        }
                    }
                    return found;
                });
    }

    /**
     * Moves each customer's {@code lastActiveAt} forward to the newest of its {@code times} (never back), on
     * {@code conn}. Not a change by a user: no version, no audit row, no webhook.
     */
    public Uni<Void> touchLastActive(SqlConnection conn, UUID[] customers, OffsetDateTime[] times) {
        return conn.preparedQuery("UPDATE customer c SET last_active_at = u.at FROM (SELECT customer_id, max(at) AS at"
                + " FROM unnest($1::uuid[], $2::timestamptz[]) AS t(customer_id, at) GROUP BY customer_id) u"
                + " WHERE c.id = u.customer_id AND (c.last_active_at IS NULL OR c.last_active_at < u.at)")
                .execute(Tuple.of(customers, times)).replaceWithVoid();
    }

    /** Up to {@code limit} customers after {@code cursor} (null: from the start) in {@code sort} order, plus one. */
    public Uni<List<Customer>> page(CustomerFilter filter, CustomerSort sort, Cursor cursor, int limit) {
        return membership(filter).invoke(member -> CustomerFilterHql.refuseUnknown(filter, member)).flatMap(member -> {
            KeysetQuery q = CustomerFilterHql.filtered("from Customer c", filter, member)
                    .page(sort.keyset(), cursor, limit);
            return find(q.query(), q.named()).range(0, q.fetch() - 1).list();
        });
    }

    /**
     * Up to {@code limit} ids of matching customers after {@code after} (null: from the start), in id order: the
     * keyset a background job walks, so customers it has passed are not visited again even if they now match.
     */
    public Uni<List<UUID>> idsAfter(CustomerFilter filter, UUID after, int limit) {
        return membership(filter).flatMap(member -> {
            KeysetQuery q = CustomerFilterHql.filtered("select c.id from Customer c", filter, member)
                    .page(BY_ID, after == null ? null : BY_ID.cursor(null, after), limit);
            return idsAfter(q, limit);
        });
    }

    private Uni<List<UUID>> idsAfter(KeysetQuery q, int limit) {
        return getSession().flatMap(s -> {
            var query = s.createSelectionQuery(q.query(), UUID.class);
            q.named().forEach(query::setParameter);
            return query.setMaxResults(limit).getResultList(); // a job takes batches of exactly limit
        });
    }

    /**
     * The customers of {@code ids} in id order (one prepared statement, no persistence context): a page of an export.
     * Email and phone are masked unless {@code contact}, as the API masks them for readers without contact details.
     */
    public Uni<List<CustomerView>> views(List<UUID> ids, boolean contact) {
        return pool.preparedQuery("SELECT " + CustomerView.COLUMNS + " FROM customer WHERE id = ANY($1) ORDER BY id")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
                    List<CustomerView> views = new ArrayList<>(rows.size());
                    rows.forEach(r -> views.add(contact ? CustomerView.of(r) : CustomerView.of(r).withContactMasked()));
                    return views;
                });
    }

    /** How many customers match, exactly (a tag job's total). */
    public Uni<Long> count(CustomerFilter filter) {
        return membership(filter).flatMap(member -> {
            KeysetQuery q = CustomerFilterHql.filtered("from Customer c", filter, member);
            return count(q.query(), q.named());
        });
    }

    /**
     * How many customers match, counted exactly up to {@code limit}; past it, {@code limit + 1}: the scan stops there,
     * so a count over millions costs what {@code limit} rows do.
     */
    public Uni<Long> countUpTo(CustomerFilter filter, int limit) {
        return membership(filter).flatMap(member -> {
            KeysetQuery q = CustomerFilterHql.filtered("select c.id as id from Customer c", filter, member);
            return getSession().flatMap(s -> {
                var query = s.createSelectionQuery("select count(*) from (" + q.query() + " order by c.id limit "
                        + (limit + 1) + ") x", Long.class);
                q.named().forEach(query::setParameter);
                return query.getSingleResult();
            });
        });
    }

    /** The ids the filter's segment and bucket keys name (null: it names no segment), looked up first. */
    private Uni<Membership> membership(CustomerFilter f) {
        return f.segment() == null ? Uni.createFrom().nullItem() : segmentKeys.membership(f.segment(), f.bucket());
    }

    private static final Keyset BY_ID = Keyset.byId("id", "c.id", false);
}
