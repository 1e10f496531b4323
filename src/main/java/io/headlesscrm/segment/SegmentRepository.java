package io.headlesscrm.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Segment definitions in SQL: read through the pool, written through the caller's Hibernate Reactive session; what a
 * write checks against other segments (the graph of who reads whom) is read in that session too, under
 * {@link #lockGraph()}.
 */
@ApplicationScoped
public class SegmentRepository {

    /** The advisory lock every transaction that changes the graph of segment references holds (see lockGraph). */
    static final long GRAPH_LOCK = 0x5e67_0002L;
    static final Keyset KEYSET = Keyset.byId("id", "s.id", false);
    private static final String VIEW = "SELECT s.id, s.kind, s.key, s.name, s.description, s.built_in, s.time_relative,"
            + " s.refresh_cause, s.refreshed_at, s.created_at, s.updated_at, s.version,"
            + " b.id AS bucket_id, b.key AS bucket_key, b.name AS bucket_name, b.condition::text AS bucket_condition"
            + " FROM segment s JOIN segment_bucket b ON b.segment_id = s.id";

    /** A bucket as stored: its condition as submitted and its compiled, scoped predicate (null: catch-all). */
    record BucketRow(String key, String name, JsonNode condition, String predicate) {
    }

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<SegmentView> find(UUID id) {
        return pool.preparedQuery(VIEW + " WHERE s.id = $1 ORDER BY b.position").execute(Tuple.of(id))
                .map(rows -> {
                    List<SegmentView> views = views(rows);
                    return views.isEmpty() ? null : views.get(0);
                });
    }

    /** The segment as the caller's transaction sees it (its own uncommitted writes included); null if there is none. */
    Uni<SegmentView> findInTransaction(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(VIEW + " WHERE s.id = ?1 ORDER BY b.position",
                Object[].class).setParameter(1, id).getResultList()).map(rows -> {
                    List<SegmentView> views = viewsOf(rows);
                    return views.isEmpty() ? null : views.get(0);
                });
    }

    /** The segments among {@code ids} (unknown ids are left out), in no particular order. */
    Uni<List<SegmentView>> findAll(List<UUID> ids) {
        return pool.preparedQuery(VIEW + " WHERE s.id = ANY($1) ORDER BY s.id, b.position")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(this::views);
    }

    Uni<SegmentView> findByKey(String key) {
        return pool.preparedQuery(VIEW + " WHERE s.key = $1 ORDER BY b.position").execute(Tuple.of(key))
                .map(rows -> {
                    List<SegmentView> views = views(rows);
                    return views.isEmpty() ? null : views.get(0);
                });
    }

    Uni<Page.Slice<SegmentView>> list(SegmentKind kind, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql("SELECT s.id FROM segment s").whereIf(kind == null ? null : kind.name(),
                "s.kind = ?").page(KEYSET, after, limit);
        return pool.preparedQuery("WITH page AS (" + page.query() + ") " + VIEW
                + " WHERE s.id IN (SELECT id FROM page) ORDER BY s.id, b.position")
                .execute(Tuple.from(page.positional()))
                .map(rows -> Page.slice(views(rows), limit, v -> KEYSET.cursor(null, v.id())));
    }

    /**
     * Keeps every other change of the graph of segment references (a create, a changed definition, a delete) out until
     * the caller's transaction ends: a check of that graph ({@link #dependencies()}, {@link #dependents}) made after it
     * stays true until the write it guards commits. Checked outside it, two concurrent PATCHes each saw no cycle and
     * together stored one. Taken before the upkeep's lock ({@link #upkeepPaused()}), never after it.
     */
    Uni<Void> lockGraph() {
        return advisoryLock(GRAPH_LOCK);
    }

    /**
     * Every saved segment's id to the ids its conditions read, as the caller's transaction sees them: for cycle and
     * reference checks under {@link #lockGraph()}.
     */
    Uni<Map<UUID, List<UUID>>> dependencies() {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT s.id, d.read FROM segment s"
                + " LEFT JOIN LATERAL unnest(s.depends_on) AS d(read) ON true", Object[].class).getResultList())
                .map(rows -> {
                    Map<UUID, List<UUID>> graph = new LinkedHashMap<>();
                    rows.forEach(r -> {
                        List<UUID> reads = graph.computeIfAbsent((UUID) r[0], id -> new ArrayList<>());
                        if (r[1] != null) {
                            reads.add((UUID) r[1]);
                        }
                    });
                    return graph;
                });
    }

    Uni<Void> insert(UUID id, SegmentKind kind, String key, String name, String description, boolean builtIn,
            List<UUID> dependsOn, boolean timeRelative, List<BucketRow> buckets) {
        String sql = "INSERT INTO segment (id, kind, key, name, description, built_in, depends_on, time_relative,"
                + " refresh_cause, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS uuid[]), ?8,"
                + " 'created', now(), now())";
        return Panache.getSession().flatMap(s -> s.createNativeQuery(sql).setParameter(1, id).setParameter(2, kind.name())
                .setParameter(3, key).setParameter(4, name).setParameter(5, description).setParameter(6, builtIn)
                .setParameter(7, ids(dependsOn)).setParameter(8, timeRelative).executeUpdate())
                .call(() -> putBuckets(id, buckets)).replaceWithVoid();
    }

    /** Updates the definition if it is still at {@code version}; false if it is not (changed meanwhile). */
    Uni<Boolean> update(UUID id, long version, String name, String description, List<UUID> dependsOn,
            boolean timeRelative, List<BucketRow> buckets) {
        String sql = "UPDATE segment SET name = ?2, description = ?3, depends_on = CAST(?4 AS uuid[]), time_relative = ?5,"
                + " refresh_cause = 'definition', refresh_staged = false, updated_at = now(), version = version + 1"
                + " WHERE id = ?1 AND version = ?6";
        return upkeepPaused().flatMap(v -> Panache.getSession()).flatMap(s -> s.createNativeQuery(sql).setParameter(1, id).setParameter(2, name)
                .setParameter(3, description).setParameter(4, ids(dependsOn)).setParameter(5, timeRelative)
                .setParameter(6, version).executeUpdate())
                .flatMap(updated -> updated == 0 ? Uni.createFrom().item(false)
                        : Panache.getSession().flatMap(s -> s.createNativeQuery( // staged for the old definition
                                "DELETE FROM segment_pending WHERE segment_id = ?1").setParameter(1, id).executeUpdate())
                                .flatMap(n -> putBuckets(id, buckets)).replaceWith(true));
    }

    /**
     * Makes the buckets exactly {@code buckets}, in order: a bucket keeps its id (and members) by key; members of a
     * bucket that goes leave it (recorded, cause definition) and are placed again by the refresh.
     */
    private Uni<Void> putBuckets(UUID segmentId, List<BucketRow> buckets) {
        String park = "UPDATE segment_bucket SET position = -position - 1 WHERE segment_id = ?1";
        String upsert = "INSERT INTO segment_bucket (id, segment_id, position, key, name, condition, predicate)"
                + " VALUES (gen_random_uuid(), ?1, ?2, ?3, ?4, CAST(CAST(?5 AS text) AS jsonb), ?6)"
                + " ON CONFLICT (segment_id, key) DO UPDATE SET position = EXCLUDED.position, name = EXCLUDED.name,"
                + " condition = EXCLUDED.condition, predicate = EXCLUDED.predicate";
        String drop = "WITH gone AS (DELETE FROM segment_bucket WHERE segment_id = ?1 AND position < 0 RETURNING id)"
                + " INSERT INTO segment_change (customer_id, segment_id, at, from_bucket, to_bucket, cause)"
                + " SELECT m.customer_id, m.segment_id, now(), m.bucket_id, NULL, 'definition' FROM segment_member m"
                + " WHERE m.bucket_id IN (SELECT id FROM gone)";
        return Panache.getSession().flatMap(s -> {
            Uni<Integer> chain = s.createNativeQuery(park).setParameter(1, segmentId).executeUpdate();
            for (int i = 0; i < buckets.size(); i++) {
                BucketRow b = buckets.get(i);
                int position = i;
                chain = chain.flatMap(n -> s.createNativeQuery(upsert).setParameter(1, segmentId)
                        .setParameter(2, position).setParameter(3, b.key()).setParameter(4, b.name())
                        .setParameter(5, b.condition() == null ? null : Jsons.text(mapper, b.condition())).setParameter(6, b.predicate()).executeUpdate());
            }
            return chain.flatMap(n -> s.createNativeQuery(drop).setParameter(1, segmentId).executeUpdate());
        }).replaceWithVoid();
    }

    Uni<Integer> delete(UUID id) {
        return upkeepPaused().flatMap(v -> Panache.getSession()).flatMap(s -> s.createNativeQuery("DELETE FROM segment WHERE id = ?1")
                .setParameter(1, id).executeUpdate());
    }

    /**
     * Takes the upkeep's lock for the rest of the caller's transaction: changing or deleting a definition while an
     * upkeep step writes its members would lock the same rows in the other order (a deadlock); this waits for the
     * step to end instead, and the next step sees the new definition.
     */
    private Uni<Void> upkeepPaused() {
        return advisoryLock(SegmentUpkeep.LOCK);
    }

    private static Uni<Void> advisoryLock(long key) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) l", Integer.class)
                .setParameter(1, key).getSingleResult()).replaceWithVoid();
    }

    /** Keys of the segments whose conditions read {@code id}, as the caller's transaction sees them. */
    Uni<List<String>> dependents(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "SELECT key FROM segment WHERE ?1 = ANY(depends_on) ORDER BY key", String.class).setParameter(1, id)
                .getResultList());
    }

    private List<SegmentView> views(Iterable<Row> rows) {
        List<Object[]> values = new ArrayList<>();
        for (Row r : rows) {
            Object[] row = new Object[r.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = r.getValue(i);
            }
            values.add(row);
        }
        return viewsOf(values);
    }

    /** Rows of {@link #VIEW}, whether read through the pool or a native query of the session, as views. */
    private List<SegmentView> viewsOf(List<Object[]> rows) {
        Map<UUID, SegmentView> views = new LinkedHashMap<>();
        for (Object[] r : rows) {
            UUID id = (UUID) r[0];
            SegmentView v = views.get(id);
            if (v == null) {
                v = new SegmentView(id, SegmentKind.valueOf((String) r[1]), (String) r[2], (String) r[3],
                        (String) r[4], (Boolean) r[5], null, new ArrayList<>(), (Boolean) r[6], r[7] != null,
                        Rows.instant(r[8]), Rows.instant(r[9]), Rows.instant(r[10]), ((Number) r[11]).longValue());
                views.put(id, v);
            }
            v.buckets().add(new SegmentView.Bucket((UUID) r[12], (String) r[13], (String) r[14], parse((String) r[15])));
        }
        List<SegmentView> result = new ArrayList<>();
        for (SegmentView v : views.values()) {
            result.add(v.kind() == SegmentKind.AUDIENCE ? withCondition(v, v.buckets().get(0).condition()) : v);
        }
        return result;
    }

    private static SegmentView withCondition(SegmentView v, JsonNode condition) {
        return new SegmentView(v.id(), v.kind(), v.key(), v.name(), v.description(), v.builtIn(), condition,
                v.buckets(), v.timeRelative(), v.refreshing(), v.refreshedAt(), v.createdAt(), v.updatedAt(), v.version());
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored condition is not JSON", e);
        }
    }

    private static UUID[] ids(List<UUID> ids) {
        return ids.toArray(UUID[]::new);
    }
}
