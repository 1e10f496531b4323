package io.headlesscrm.lead;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a lead's history: a change of status or assignee, who made it and why. */
@Schema(name = "LeadChange")
public record LeadChange(@Schema(required = true) UUID id, @Schema(required = true) UUID leadId,
        @Schema(required = true) Instant at, @Schema(description = "Absent when the lead was made") LeadStatus from,
        @Schema(required = true) LeadStatus to, @Schema(description = "The rep it was assigned to") String assignee,
        @Schema(required = true) By by, @Schema(description = "Why, in words") String note) {

    /**
     * Who made the change: a user, client or api-key (the actor's id), a lead rule or an assignment rule (its key), or
     * the service.
     */
    @Schema(name = "LeadChangeBy")
    public record By(@Schema(required = true, enumeration = { "user", "client", "api-key", "rule", "assignment-rule",
            "system" },
            examples = "rule") String type, @Schema(required = true, examples = "fridge-interest") String id) {
    }
}
