package io.headlesscrm.tag;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;

/** A tag definition as the API shows it; {@code version} is also the ETag. */
@Type("Tag")
@Schema(name = "Tag", description = "A tag definition")
public record TagView(
        @Schema(required = true) @Id @NonNull UUID id,
        @NonNull @Schema(required = true, examples = "vip") String key,
        @NonNull @Schema(required = true, examples = "VIP") String name,
        @Schema(examples = "value") String category,
        String description,
        @Schema(examples = "#ff8800") String color,
        @Schema(required = true) @NonNull Instant createdAt,
        @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(required = true) long version,
        @Schema(required = true, description = "How many customers carry the tag now (expired assignments do not count)", examples = "120")
        long customerCount) implements Node {

    static TagView of(Tag t, long customerCount) {
        return new TagView(t.getId(), t.getKey(), t.getName(), t.getCategory(), t.getDescription(), t.getColor(),
                t.getCreatedAt(), t.getUpdatedAt(), t.getVersion(), customerCount);
    }

    String etag() {
        return Long.toString(version);
    }
}
