package io.headlesscrm.common.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One offending input field: its JSON path (for example {@code email} or {@code attributes.tier}) and why; for an
 * error inside a submitted tree (a segment condition), the JSON Pointer of the offending node.
 */
@Schema(description = "An offending input field and what is wrong with it")
public record FieldError(
        @Schema(examples = "email") String field,
        @Schema(required = true, examples = "must be a well-formed email address") String message,
        @Schema(description = "JSON Pointer (RFC 6901) to the offending node of a submitted tree",
                examples = "/and/2/event/where/0/value") String pointer) {

    public FieldError(String field, String message) {
        this(field, message, null);
    }
}
