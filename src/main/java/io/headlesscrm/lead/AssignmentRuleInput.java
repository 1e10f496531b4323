package io.headlesscrm.lead;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerInput;
import io.headlesscrm.tag.TagInput;

/** An assignment rule as a client writes it: which new leads it takes, and how it picks their rep. */
@Schema(name = "LeadAssignmentRuleInput")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentRuleInput(
        @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE)
        @Schema(required = true, examples = "north-fridges") String key,
        @NotBlank @Size(max = 200) @Schema(required = true, examples = "Fridge leads in the north") String name,
        @Min(0) @Max(1000000) @Schema(description = "Rules are tried in position order (ties: the older first); "
                + "default: after the last") Integer position,
        @Valid @Schema(description = "Which new leads it takes: all given conditions must hold; none: every lead")
        When when,
        @NotBlank @Size(max = 64) @Schema(required = true, description = "The key of the sales team whose reps get the "
                + "leads", examples = "north") String team,
        @NotNull @Schema(required = true, description = "ROUND_ROBIN: the active rep with room who has waited longest "
                + "for a lead; TERRITORY: the same among the reps whose territory is the customer's territoryAttribute")
        Strategy strategy,
        @Size(max = 64) @Pattern(regexp = CustomerInput.ATTRIBUTE_NAME, message = "must be an attribute name")
        @Schema(description = "TERRITORY: the customer attribute holding the territory", examples = "territory")
        String territoryAttribute) {

    public enum Strategy {
        ROUND_ROBIN, TERRITORY
    }

    @Schema(name = "LeadAssignmentConditions")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record When(
            @Size(max = 50) @Schema(description = "The lead's type is one of these") List<@NotBlank String> leadTypes,
            @Size(max = 4) @Schema(description = "The lead's priority is one of these") List<@NotNull LeadPriority> priorities,
            @Size(max = 50) @Schema(description = "The lead was made by one of these rules (keys)") List<@NotBlank String> rules,
            @Schema(description = "A segment condition the customer meets") JsonNode customer) {

        public When {
            customer = customer == null || customer.isNull() || customer.isMissingNode() ? null : customer;
        }
    }
}
