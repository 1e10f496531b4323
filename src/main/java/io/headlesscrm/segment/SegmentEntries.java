package io.headlesscrm.segment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.SqlLiteral;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Entries into a segment, as recorded in its change history, for features that react to them (campaigns triggered
 * by audience entry): which bucket a key names, and the SQL that reads the entries into it after a time.
 */
@ApplicationScoped
public class SegmentEntries {

    /** A bucket of a dimension, or an audience's one bucket. */
    public record Bucket(UUID segmentId, UUID bucketId) {
    }

    @Inject
    Pool pool;

    /** The bucket {@code bucketKey} of segment {@code segmentKey} (null: the audience's), or null if there is none. */
    public Uni<Bucket> bucket(String segmentKey, String bucketKey) {
        String sql = "SELECT s.id, b.id FROM segment s JOIN segment_bucket b ON b.segment_id = s.id WHERE s.key = $1"
                + " AND (b.key = $2 OR ($2 IS NULL AND s.kind = 'AUDIENCE'))";
        return pool.preparedQuery(sql).execute(Tuple.of(segmentKey, bucketKey))
                .map(rows -> rows.size() == 0 ? null : new Bucket(rows.iterator().next().getUUID(0),
                        rows.iterator().next().getUUID(1)));
    }

    /**
     * SQL selecting {@code (customer_id, at)} of every entry into {@code bucket} recorded after the SQL expression
     * {@code after}, read through the history's (segment, time) index.
     */
    public static String since(Bucket bucket, String after) {
        return "SELECT customer_id, at FROM segment_change WHERE segment_id = " + SqlLiteral.id(bucket.segmentId())
                + " AND to_bucket = " + SqlLiteral.id(bucket.bucketId()) + " AND at > " + after;
    }
}
