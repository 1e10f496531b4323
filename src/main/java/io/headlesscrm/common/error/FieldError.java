package io.headlesscrm.common.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One offending input field: its JSON path (for example {@code email} or {@code attributes.tier}) and why. */
@Schema(description = "An offending input field and what is wrong with it")
public record FieldError(
        @Schema(examples = "email") String field,
        @Schema(examples = "must be a well-formed email address") String message) {
}
