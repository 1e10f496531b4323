package io.headlesscrm.lead;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A lead rule as the API shows it: its current definition, whether it is active, and its version. */
@Schema(name = "LeadRule")
public record LeadRuleView(@Schema(required = true) UUID id, @Schema(required = true) String key,
        @Schema(required = true) String name, String description, @Schema(required = true) boolean active,
        @Schema(required = true) List<LeadRuleInput.Step> steps,
        @Schema(description = "A sequence's overall window") @JsonFormat(shape = JsonFormat.Shape.STRING) Duration within,
        @Schema(description = "The customer condition") JsonNode customer,
        @Schema(required = true) LeadRuleInput.Output lead,
        @Schema(required = true) List<LeadRuleInput.EventMatch> conversions,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration cooldown,
        LeadRuleInput.Reach reach, LeadRuleInput.Pull pull,
        @Schema(required = true) Instant createdAt, @Schema(required = true) Instant updatedAt,
        @Schema(required = true, description = "Goes up with every change; leads name the version that made them")
        long version) {

    static LeadRuleView of(UUID id, LeadRuleInput d, Instant createdAt, Instant updatedAt, long version) {
        return new LeadRuleView(id, d.key(), d.name(), d.description(), d.isActive(), d.steps(), d.within(),
                d.customer(), d.lead(), LeadRuleDefinitions.conversions(d), d.cooldown(), d.reach(), d.pull(), createdAt, updatedAt, version);
    }

    /** The definition this view shows, as a client would write it back. */
    LeadRuleInput input() {
        return new LeadRuleInput(key, name, description, active, steps, within, customer, lead,
                conversions.isEmpty() ? null : conversions, cooldown, reach, pull);
    }

    String etag() {
        return Long.toString(version);
    }
}
