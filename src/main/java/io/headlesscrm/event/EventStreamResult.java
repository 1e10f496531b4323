package io.headlesscrm.event;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.error.FieldError;

/** What a stream of events did: totals, and the rejected lines (the first 1000 of them). */
@Schema(name = "EventStreamResult")
public record EventStreamResult(@Schema(required = true, description = "Non-blank lines read") long lines,
        @Schema(required = true) long accepted, @Schema(required = true) long duplicates,
        @Schema(required = true) long rejected,
        @Schema(required = true, description = "The first 1000 rejected lines and why") List<RejectedLine> errors) {

    static final int MAX_ERRORS = 1000;

    @Schema(name = "RejectedEventLine")
    public record RejectedLine(@Schema(required = true, description = "Line number, from 1") long line,
            @Schema(required = true) List<FieldError> errors) {
    }
}
