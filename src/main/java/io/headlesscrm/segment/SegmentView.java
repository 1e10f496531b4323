package io.headlesscrm.segment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;

/** A saved segment: an audience (one bucket, its condition) or a dimension (ordered buckets). */
@Type("Segment")
@Schema(name = "Segment")
public record SegmentView(@Schema(required = true) @Id @NonNull UUID id, @Schema(required = true) @NonNull SegmentKind kind,
        @Schema(required = true) @NonNull String key, @Schema(required = true) @NonNull String name, String description,
        @Schema(required = true, description = "Defined by the service (lifecycle, value, customer-type): its "
                + "buckets' conditions can be edited, it cannot be deleted") boolean builtIn,
        // GraphQL exposes conditions through JSON-scalar resolvers in SegmentGraphQL
        @Ignore @Schema(description = "AUDIENCE: the condition") JsonNode condition,
        @Schema(required = true, description = "DIMENSION: the buckets in order, the last the catch-all; AUDIENCE: "
                + "its one bucket (key members)") @NonNull List<@NonNull Bucket> buckets,
        @Schema(required = true, description = "A condition reads the time (a window or a relative date), so "
                + "membership is also refreshed on a schedule") boolean timeRelative,
        @Schema(required = true, description = "A full recompute is under way (after a definition change, or a "
                + "scheduled refresh); members are being brought up to date") boolean refreshing,
        @Schema(description = "When the last full recompute finished") Instant refreshedAt,
        @Schema(required = true) @NonNull Instant createdAt, @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(required = true) long version) implements Node {

    @Type("SegmentBucket")
    @Schema(name = "SegmentBucket")
    public record Bucket(@Schema(required = true) @Id @NonNull UUID id, @Schema(required = true) @NonNull String key,
            @Schema(required = true) @NonNull String name,
            @Ignore @Schema(description = "Absent on a dimension's catch-all") JsonNode condition) {
    }

    String etag() {
        return Long.toString(version);
    }
}
