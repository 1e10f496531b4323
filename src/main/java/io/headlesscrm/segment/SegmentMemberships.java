package io.headlesscrm.segment;

import java.time.Instant;
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

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The segments customers are in: their bucket of every dimension and the audiences they belong to. */
@ApplicationScoped
public class SegmentMemberships {

    private static final String OF = "SELECT m.customer_id, s.id, s.key, s.name, s.kind, b.key, b.name, m.entered_at"
            + " FROM segment_member m JOIN segment s ON s.id = m.segment_id JOIN segment_bucket b ON b.id = m.bucket_id"
            + " WHERE m.customer_id = ANY($1) ORDER BY s.kind DESC, s.key";

    @Type("CustomerSegment")
    @Schema(name = "CustomerSegment")
    @Description("A segment the customer is in: its bucket of a dimension, or an audience")
    public record Membership(@Schema(required = true) @NonNull UUID segmentId,
            @Schema(required = true) @NonNull String key, @Schema(required = true) @NonNull String name,
            @Schema(required = true) @NonNull SegmentKind kind,
            @Schema(description = "DIMENSION: the bucket's key") @Description("DIMENSION: the bucket's key") String bucket,
            @Schema(description = "DIMENSION: the bucket's name") @Description("DIMENSION: the bucket's name") String bucketName,
            @Schema(required = true, description = "Since when (in this bucket)") @NonNull
            @Description("Since when (in this bucket)") Instant enteredAt) {
    }

    @Inject
    Pool pool;

    /** Which of {@code keys} are dimensions' keys. */
    public Uni<Set<String>> dimensions(Collection<String> keys) {
        return pool.preparedQuery("SELECT key FROM segment WHERE kind = 'DIMENSION' AND key = ANY($1)")
                .execute(Tuple.of(keys.toArray(String[]::new))).map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getString(0)));
                    return found;
                });
    }

    /** Each customer's bucket key of each of the {@code dimensions} (absent: in none), in the order of {@code customers}. */
    public Uni<List<Map<String, String>>> buckets(List<UUID> customers, Collection<String> dimensions) {
        return pool.preparedQuery("SELECT m.customer_id, s.key, b.key FROM segment_member m JOIN segment s ON s.id ="
                + " m.segment_id JOIN segment_bucket b ON b.id = m.bucket_id WHERE m.customer_id = ANY($1)"
                + " AND s.kind = 'DIMENSION' AND s.key = ANY($2)")
                .execute(Tuple.of(customers.toArray(UUID[]::new), dimensions.toArray(String[]::new))).map(rows -> {
                    Map<UUID, Map<String, String>> by = new HashMap<>();
                    rows.forEach(r -> by.computeIfAbsent(r.getUUID(0), k -> new HashMap<>()).put(r.getString(1),
                            r.getString(2)));
                    return customers.stream().map(id -> by.getOrDefault(id, Map.of())).toList();
                });
    }

    /** Dimensions first, then audiences, each by key; in the order of {@code customers}. */
    public Uni<List<List<Membership>>> of(List<UUID> customers) {
        return pool.preparedQuery(OF).execute(Tuple.of(customers.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<Membership>> by = new HashMap<>();
            rows.forEach(r -> {
                boolean dimension = "DIMENSION".equals(r.getString(4));
                by.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(new Membership(r.getUUID(1),
                        r.getString(2), r.getString(3), SegmentKind.valueOf(r.getString(4)),
                        dimension ? r.getString(5) : null, dimension ? r.getString(6) : null, Rows.instant(r, 7)));
            });
            return customers.stream().map(id -> by.getOrDefault(id, List.of())).toList();
        });
    }
}
