package io.headlesscrm.tag;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tag definition as a client writes it. */
@Schema(name = "TagInput", description = "A tag definition")
public record TagInput(
        @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE)
        @Schema(description = "Stable slug, unique; used in paths", examples = "vip") String key,
        @NotBlank @Size(max = 100) @Schema(examples = "VIP") String name,
        @Size(max = 64) @Schema(examples = "value") String category,
        @Size(max = 500) @Schema(examples = "Spent over 10k in the last year") String description,
        @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a color such as #ff8800")
        @Schema(examples = "#ff8800") String color) {

    /** Lower-case letters, digits, '-' and '_', starting with a letter or digit; at most 64 characters. */
    public static final String KEY_PATTERN = "[a-z0-9][a-z0-9_-]{0,63}";
    public static final String KEY_RULE = "must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit";
}
