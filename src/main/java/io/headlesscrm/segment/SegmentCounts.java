package io.headlesscrm.segment;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.error.ProblemException;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Daily member counts per bucket: snapshotted every hour (the day's last snapshot stands for it, idempotent on every
 * instance), today's read live, so a front end can draw how a segment grows.
 */
@ApplicationScoped
public class SegmentCounts {

    static final int MAX_DAYS = 366;
    private static final String SNAPSHOT = "INSERT INTO segment_count (segment_id, bucket_id, day, members)"
            + " SELECT b.segment_id, b.id, (now() AT TIME ZONE 'UTC')::date, count(m.customer_id) FROM segment_bucket b"
            + " LEFT JOIN segment_member m ON m.segment_id = b.segment_id AND m.bucket_id = b.id GROUP BY b.segment_id, b.id"
            + " ON CONFLICT (segment_id, bucket_id, day) DO UPDATE SET members = EXCLUDED.members";
    private static final String LIVE = "SELECT bucket_id, count(*) FROM segment_member WHERE segment_id = $1 GROUP BY bucket_id";
    private static final String STORED = "SELECT bucket_id, day, members FROM segment_count WHERE segment_id = $1"
            + " AND day BETWEEN $2 AND $3 ORDER BY day";

    @Type("SegmentCounts")
    @Schema(name = "SegmentCounts")
    public record Series(@Schema(required = true) @NonNull UUID segmentId, @Schema(required = true) @NonNull LocalDate from,
            @Schema(required = true) @NonNull LocalDate to,
            @Schema(required = true) @NonNull List<@NonNull BucketSeries> buckets) {
    }

    @Type("SegmentBucketCounts")
    @Schema(name = "SegmentBucketCounts")
    public record BucketSeries(@Schema(required = true) @NonNull String bucket, @Schema(required = true) @NonNull String name,
            @Schema(required = true) @NonNull List<@NonNull Point> points) {
    }

    @Type("SegmentCountPoint")
    @Schema(name = "SegmentCountPoint")
    public record Point(@Schema(required = true) @NonNull LocalDate day, @Schema(required = true) long members) {
    }

    @Inject
    Pool pool;

    @Scheduled(every = "1h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> snapshot() {
        return pool.query(SNAPSHOT).execute().replaceWithVoid();
    }

    Uni<Series> series(SegmentView segment, LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<UUID, Map<LocalDate, Long>> points = new LinkedHashMap<>();
        segment.buckets().forEach(b -> points.put(b.id(), new java.util.TreeMap<>()));
        return pool.preparedQuery(STORED).execute(Tuple.of(segment.id(), from, to)).flatMap(stored -> {
            stored.forEach(r -> {
                Map<LocalDate, Long> series = points.get(r.getUUID(0));
                if (series != null) {
                    series.put(r.getLocalDate(1), r.getLong(2));
                }
            });
            if (today.isBefore(from) || today.isAfter(to)) {
                return Uni.createFrom().voidItem();
            }
            return pool.preparedQuery(LIVE).execute(Tuple.of(segment.id())).invoke(live -> {
                points.values().forEach(series -> series.put(today, 0L));
                live.forEach(r -> {
                    Map<LocalDate, Long> series = points.get(r.getUUID(0));
                    if (series != null) {
                        series.put(today, r.getLong(1));
                    }
                });
            }).replaceWithVoid();
        }).map(v -> {
            List<BucketSeries> buckets = new ArrayList<>();
            for (SegmentView.Bucket b : segment.buckets()) {
                List<Point> series = new ArrayList<>();
                points.get(b.id()).forEach((day, n) -> series.add(new Point(day, n)));
                buckets.add(new BucketSeries(b.key(), b.name(), series));
            }
            return new Series(segment.id(), from, to, buckets);
        });
    }

    /** A day parameter (YYYY-MM-DD), or {@code otherwise} when absent. */
    static LocalDate day(String value, String name, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-parameter", name, name + " must be a day such as 2026-11-24");
        }
    }

    /** Refuses a range backwards or longer than {@link #MAX_DAYS}. */
    static void range(LocalDate first, LocalDate last) {
        if (first.isAfter(last) || first.plusDays(MAX_DAYS).isBefore(last)) {
            throw ProblemException.badRequest("invalid-parameter", "from", "from must not be after to, nor more than "
                    + MAX_DAYS + " days before it");
        }
    }
}
