package io.headlesscrm.tag;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tag definition as the API shows it; {@code version} is also the ETag. */
@Type("Tag")
@Schema(name = "Tag", description = "A tag definition")
public record TagView(
        @Id @NonNull UUID id,
        @NonNull @Schema(examples = "vip") String key,
        @NonNull @Schema(examples = "VIP") String name,
        @Schema(examples = "value") String category,
        String description,
        @Schema(examples = "#ff8800") String color,
        @NonNull Instant createdAt,
        @NonNull Instant updatedAt,
        long version,
        @Schema(description = "How many customers carry the tag now (expired assignments do not count)", examples = "120")
        long customerCount) {

    static TagView of(Tag t, long customerCount) {
        return new TagView(t.getId(), t.getKey(), t.getName(), t.getCategory(), t.getDescription(), t.getColor(),
                t.getCreatedAt(), t.getUpdatedAt(), t.getVersion(), customerCount);
    }

    String etag() {
        return Long.toString(version);
    }
}
