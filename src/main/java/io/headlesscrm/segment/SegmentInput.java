package io.headlesscrm.segment;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.tag.TagInput;

/** Segment definitions as a client writes them. */
public final class SegmentInput {

    static final String KEY_RULE = "must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit";
    static final int MAX_BUCKETS = 20;

    private SegmentInput() {
    }

    @Schema(name = "AudienceInput", description = "An audience: whoever matches the condition, now")
    public record Audience(
            @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = KEY_RULE)
            @Schema(required = true, description = "Stable slug, unique among segments; conditions name it",
                    examples = "hotel-lovers") String key,
            @NotBlank @Size(max = 100) @Schema(required = true, examples = "Hotel lovers") String name,
            @Size(max = 500) String description,
            @NotNull @Schema(required = true, description = "A condition tree (see docs/segments.md, Segment conditions)")
            JsonNode condition) {
    }

    @Schema(name = "DimensionInput", description = "A dimension: ordered buckets; a customer is in the first whose "
            + "condition holds, and the last bucket (without a condition) takes everyone else")
    public record Dimension(
            @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = KEY_RULE)
            @Schema(required = true, examples = "lifecycle") String key,
            @NotBlank @Size(max = 100) @Schema(required = true, examples = "Lifecycle") String name,
            @Size(max = 500) String description,
            @NotNull @Size(min = 2, max = MAX_BUCKETS) @Schema(required = true, minItems = 2, maxItems = MAX_BUCKETS)
            List<@NotNull @Valid Bucket> buckets) {
    }

    @Schema(name = "BucketInput")
    public record Bucket(
            @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = KEY_RULE)
            @Schema(required = true, examples = "active") String key,
            @NotBlank @Size(max = 100) @Schema(required = true, examples = "Active") String name,
            @Schema(description = "Required on every bucket but the last, absent on the last (the catch-all)")
            JsonNode condition) {
    }
}
