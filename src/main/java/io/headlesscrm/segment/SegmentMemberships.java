package io.headlesscrm.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
