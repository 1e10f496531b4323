package io.headlesscrm.lead;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An assignment rule as the API shows it. */
@Schema(name = "LeadAssignmentRule")
public record AssignmentRuleView(@Schema(required = true) UUID id, @Schema(required = true) String key,
        @Schema(required = true) String name, @Schema(required = true) int position, AssignmentRuleInput.When when,
        @Schema(required = true) String team, @Schema(required = true) AssignmentRuleInput.Strategy strategy,
        String territoryAttribute, @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt, @Schema(required = true) long version) {

    static AssignmentRuleView of(UUID id, int position, AssignmentRuleInput d, Instant createdAt, Instant updatedAt,
            long version) {
        return new AssignmentRuleView(id, d.key(), d.name(), position, d.when(), d.team(), d.strategy(),
                d.territoryAttribute(), createdAt, updatedAt, version);
    }

    AssignmentRuleInput input() {
        return new AssignmentRuleInput(key, name, position, when, team, strategy, territoryAttribute);
    }

    String etag() {
        return Long.toString(version);
    }
}
