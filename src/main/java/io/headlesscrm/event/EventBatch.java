package io.headlesscrm.event;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.TextJson;
import io.headlesscrm.common.error.FieldError;

/** Events sent together; each is checked alone, and the good ones are kept whatever the others are. */
public final class EventBatch {

    static final int MAX_ITEMS = 1000;

    private EventBatch() {
    }

    /** Items are read one by one (a malformed one is rejected alone), so the body keeps them as JSON. */
    @Schema(name = "EventBatchInput")
    public record Input(@Schema(required = true, maxItems = MAX_ITEMS, minItems = 1,
            implementation = EventInput[].class) @JsonDeserialize(contentUsing = TextJson.Unchecked.class)
            List<JsonNode> items) {
    }

    @Schema(name = "EventBatchResult", description = "Which items were stored (or were already, as a replay) and "
            + "which were rejected and why")
    public record Result(@Schema(required = true) int accepted, @Schema(required = true) int duplicates,
            @Schema(required = true) int rejected, @Schema(required = true) List<Accepted> items,
            @Schema(required = true) List<Rejected> errors) {
    }

    @Schema(name = "AcceptedEvent")
    public record Accepted(@Schema(required = true) int index, @Schema(required = true) UUID id,
            @Schema(required = true, description = "The event was stored before: this item changed nothing")
            boolean duplicate) {
    }

    @Schema(name = "RejectedEvent")
    public record Rejected(@Schema(required = true) int index,
            @Schema(required = true, description = "Fields of the item, named relative to it") List<FieldError> errors) {
    }
}
