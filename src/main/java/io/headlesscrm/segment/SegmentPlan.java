package io.headlesscrm.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;

/**
 * One saved segment as the upkeep evaluates it: its buckets' compiled predicates in order, and the statements that
 * bring its members up to date (for a batch of dirty customers, or for everyone in two passes) and report what
 * changed.
 */
record SegmentPlan(UUID id, String key, SegmentKind kind, List<UUID> dependsOn, boolean hasDependents,
        String refreshCause, boolean refreshStaged, List<Bucket> buckets) {

    /** A bucket: its id, key, and predicate over {@code customer c} restricted to {@code scope} (null: catch-all). */
    record Bucket(UUID id, String key, String predicate) {
    }

    /** One entry, exit or move (both) of one customer. */
    record Change(UUID customerId, SegmentPlan segment, String fromBucket, String toBucket, String cause) {
    }

    /** The customers of a dirty batch ({@code ?1}: their ids). */
    static final String BY_IDS = "%s = ANY(CAST(?1 AS uuid[]))";

    /** Which bucket each customer of the scope belongs in now: the first whose predicate holds (NULL: none). */
    private String bucketOf(String scope) {
        StringBuilder bucket = new StringBuilder("CASE");
        String otherwise = "NULL";
        for (Bucket b : buckets) {
            if (b.predicate() == null) {
                otherwise = SqlLiteral.id(b.id());
            } else {
                bucket.append(" WHEN coalesce((").append(ConditionCompiler.rescope(b.predicate(), scope))
                        .append("), false) THEN ").append(SqlLiteral.id(b.id()));
            }
        }
        return bucket.append(" ELSE ").append(otherwise).append(" END").toString();
    }

    /**
     * The statement that brings the members of the customers in {@code ?1} ({@link #BY_IDS}, applied to every
     * subquery too, so each reads only their rows) up to date, records each change in segment_change and returns
     * it as (customer, from, to). Segments that read this one are evaluated after it in the same step.
     */
    String evaluate(String cause) {
        String segment = SqlLiteral.id(id);
        String members = BY_IDS.replace("%s", "m.customer_id");
        return "WITH want AS (SELECT c.id AS customer_id, " + bucketOf(BY_IDS) + " AS bucket_id FROM "
                + CustomerSql.AS_C + " WHERE " + BY_IDS.replace("%s", "c.id") + "),"
                + " cur AS (SELECT m.customer_id, m.bucket_id FROM segment_member m WHERE m.segment_id = " + segment
                + " AND " + members + "),"
                + " moved AS (INSERT INTO segment_member (customer_id, segment_id, bucket_id, entered_at)"
                + " SELECT customer_id, " + segment + ", bucket_id, now() FROM want WHERE bucket_id IS NOT NULL"
                + " ON CONFLICT (customer_id, segment_id) DO UPDATE SET bucket_id = EXCLUDED.bucket_id,"
                + " entered_at = EXCLUDED.entered_at WHERE segment_member.bucket_id <> EXCLUDED.bucket_id"
                + " RETURNING customer_id, bucket_id),"
                + " gone AS (DELETE FROM segment_member m WHERE m.segment_id = " + segment + " AND " + members
                + " AND NOT EXISTS (SELECT 1 FROM want w WHERE w.customer_id = m.customer_id AND w.bucket_id IS NOT NULL)"
                + " RETURNING m.customer_id, m.bucket_id),"
                + " changes AS (SELECT mv.customer_id, cu.bucket_id AS from_bucket, mv.bucket_id AS to_bucket"
                + " FROM moved mv LEFT JOIN cur cu ON cu.customer_id = mv.customer_id"
                + " UNION ALL SELECT customer_id, bucket_id, NULL FROM gone)"
                + logged("changes", cause) + " SELECT customer_id, from_bucket, to_bucket FROM changes";
    }

    /** A CTE that writes the changes in {@code source} (customer_id, from_bucket, to_bucket) to segment_change. */
    private String logged(String source, String cause) {
        return ", logged AS (INSERT INTO segment_change (customer_id, segment_id, at, from_bucket, to_bucket, cause)"
                + " SELECT customer_id, " + SqlLiteral.id(id) + ", clock_timestamp(), from_bucket, to_bucket, "
                + SqlLiteral.text(cause) + " FROM " + source + ")";
    }

    /** The temporary table the first pass of a full recompute leaves its result in, dropped at commit. */
    static final String PASS = "segment_pass";

    /**
     * The first pass of a full recompute: the conditions evaluated by one read-only {@code CREATE TEMP TABLE ... AS}
     * into {@link #PASS} (so PostgreSQL may run it in parallel), one scan of each table they read, as a
     * hand-written count would.
     * <ul>
     * <li>An audience: its members ({@code id}), selected with its condition in WHERE, so the planner can start
     * from the most selective part; they are compared with the current members only afterwards (in one statement,
     * misjudged sizes of grouped subqueries led the planner to a nested loop of 75,000 × 20,000 rows).</li>
     * <li>A dimension: every customer whose bucket differs ({@code customer_id, from_bucket, to_bucket}), by the
     * CASE over its buckets, kept to one evaluation per customer by {@code OFFSET 0} (flattened, it is evaluated,
     * and the events scanned, for the output and again for the filter).</li>
     * </ul>
     */
    String pass() {
        if (kind == SegmentKind.AUDIENCE) { // one bucket, with a condition
            return "CREATE TEMP TABLE " + PASS + " ON COMMIT DROP AS SELECT c.id FROM " + CustomerSql.AS_C
                    + " WHERE " + ConditionCompiler.rescope(buckets.get(0).predicate(), "true");
        }
        return "CREATE TEMP TABLE " + PASS + " ON COMMIT DROP AS SELECT w.customer_id, m.bucket_id AS from_bucket,"
                + " w.bucket_id AS to_bucket FROM (SELECT c.id AS customer_id, " + bucketOf("true")
                + " AS bucket_id FROM " + CustomerSql.AS_C + " OFFSET 0) w LEFT JOIN segment_member m"
                + " ON m.segment_id = " + SqlLiteral.id(id) + " AND m.customer_id = w.customer_id"
                + " WHERE w.bucket_id IS DISTINCT FROM m.bucket_id";
    }

    /** After {@link #pass()}: every difference into segment_pending, with both buckets, for the chunks to apply. */
    String stage() {
        String segment = SqlLiteral.id(id);
        String select;
        if (kind == SegmentKind.AUDIENCE) {
            String bucket = SqlLiteral.id(buckets.get(0).id());
            select = "SELECT coalesce(w.id, m.customer_id), " + segment + ", m.bucket_id, CASE WHEN w.id IS NOT NULL"
                    + " THEN " + bucket + " END FROM " + PASS + " w FULL JOIN (SELECT customer_id, bucket_id FROM"
                    + " segment_member WHERE segment_id = " + segment + ") m ON m.customer_id = w.id"
                    + " WHERE w.id IS NULL OR m.customer_id IS NULL OR m.bucket_id <> " + bucket;
        } else {
            select = "SELECT customer_id, " + segment + ", from_bucket, to_bucket FROM " + PASS;
        }
        return "INSERT INTO segment_pending (customer_id, segment_id, from_bucket, to_bucket) " + select
                + " ON CONFLICT (customer_id, segment_id) DO UPDATE SET from_bucket = EXCLUDED.from_bucket,"
                + " to_bucket = EXCLUDED.to_bucket";
    }

    /** After {@link #pass()} of a new segment (no members yet): its members, written at once. */
    String start() {
        String segment = SqlLiteral.id(id);
        String select = kind == SegmentKind.AUDIENCE
                ? "SELECT id, " + segment + ", " + SqlLiteral.id(buckets.get(0).id()) + ", now() FROM " + PASS
                : "SELECT customer_id, " + segment + ", to_bucket, now() FROM " + PASS + " WHERE to_bucket IS NOT NULL";
        return "INSERT INTO segment_member (customer_id, segment_id, bucket_id, entered_at) " + select
                + " ON CONFLICT (customer_id, segment_id) DO UPDATE SET bucket_id = EXCLUDED.bucket_id";
    }

    /** The next {@code chunk} staged differences, lowest customer ids first: (customer, from, to), as changes are. */
    String nextStaged(int chunk) {
        return "SELECT customer_id, from_bucket, to_bucket FROM segment_pending WHERE segment_id = " + SqlLiteral.id(id)
                + " ORDER BY customer_id LIMIT " + chunk + " FOR UPDATE";
    }

    /**
     * The second pass: applies staged differences and removes them. {@code ?1}: their customers, {@code ?2}: the
     * bucket each belongs in (NULL: none), {@code ?3}: those leaving. Every statement reaches rows by key (arrays,
     * not joins), so a chunk costs the same however many members the segment has. With {@code record} the
     * changes go to segment_change; with {@code mark} their customers are marked dirty for the segments reading
     * this one.
     */
    String applyStaged(String cause, boolean record, boolean mark) {
        String segment = SqlLiteral.id(id);
        StringBuilder sql = new StringBuilder("WITH done AS (DELETE FROM segment_pending WHERE segment_id = ")
                .append(segment).append(" AND customer_id = ANY(CAST(?1 AS uuid[])) RETURNING customer_id, from_bucket,")
                .append(" to_bucket), moved AS (INSERT INTO segment_member (customer_id, segment_id, bucket_id, entered_at)")
                .append(" SELECT c, ").append(segment).append(", b, now() FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS uuid[]))")
                .append(" AS x(c, b) WHERE b IS NOT NULL ON CONFLICT (customer_id, segment_id) DO UPDATE SET")
                .append(" bucket_id = EXCLUDED.bucket_id, entered_at = EXCLUDED.entered_at),")
                .append(" gone AS (DELETE FROM segment_member WHERE segment_id = ").append(segment)
                .append(" AND customer_id = ANY(CAST(?3 AS uuid[])))");
        if (record) {
            sql.append(logged("done", cause));
        }
        if (mark) {
            sql.append(", marked AS (INSERT INTO segment_dirty (customer_id) SELECT customer_id FROM done)");
        }
        return sql.append(" SELECT count(*) FROM done").toString();
    }

    /** The rows {@link #evaluate} returned (or {@link #nextStaged} read), as changes with bucket keys. */
    List<Change> changes(List<Object[]> rows, String cause) {
        Map<UUID, String> keys = new LinkedHashMap<>();
        buckets.forEach(b -> keys.put(b.id(), b.key()));
        List<Change> changes = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            changes.add(new Change((UUID) r[0], this, keys.get((UUID) r[1]), keys.get((UUID) r[2]), cause));
        }
        return changes;
    }

    /** segment.exited for the bucket left and segment.entered for the bucket joined (a move is both). */
    static List<Outbox.Event> events(List<Change> changes) {
        List<Outbox.Event> events = new ArrayList<>();
        for (Change c : changes) {
            if (c.fromBucket() != null) {
                events.add(new Outbox.Event(EventTypes.SEGMENT_EXITED, c.customerId(), data(c, c.fromBucket())));
            }
            if (c.toBucket() != null) {
                events.add(new Outbox.Event(EventTypes.SEGMENT_ENTERED, c.customerId(), data(c, c.toBucket())));
            }
        }
        return events;
    }

    private static Map<String, Object> data(Change c, String bucket) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("customerId", c.customerId());
        data.put("segmentId", c.segment().id());
        data.put("segmentKey", c.segment().key());
        data.put("kind", c.segment().kind());
        if (c.segment().kind() == SegmentKind.DIMENSION) {
            data.put("bucket", bucket);
        }
        data.put("cause", c.cause());
        return data;
    }
}
