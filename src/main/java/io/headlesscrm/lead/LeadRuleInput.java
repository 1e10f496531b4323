package io.headlesscrm.lead;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.tag.TagInput;
import io.headlesscrm.touchpoint.Channel;
import io.headlesscrm.touchpoint.TouchpointContent;

/**
 * A lead rule as a client writes it (and as it is stored: each version's definition is this record). One step is a
 * real-time rule; more make a sequence.
 */
@Schema(name = "LeadRuleInput")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadRuleInput(
        @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE)
        @Schema(required = true, examples = "fridge-interest") String key,
        @NotBlank @Size(max = 200) @Schema(required = true, examples = "Keen buyers looking at premium fridges") String name,
        @Size(max = 500) String description,
        @Schema(description = "Whether the rule makes leads (default true); pausing drops its pending matches")
        Boolean active,
        @Size(max = MAX_STEPS) @Schema(maxItems = MAX_STEPS,
                description = "In order (a rule has steps or a pull). The first is an event; each later one either "
                        + "follows it (then: EVENT; other events may come between) or is an absence (then: NOT): the "
                        + "rule goes on when `within` has passed without that event")
        List<@NotNull @Valid Step> steps,
        @Schema(description = "A sequence's overall window, from its first event to its last step (ISO-8601)",
                examples = "PT2H") @JsonFormat(shape = JsonFormat.Shape.STRING) Duration within,
        @Schema(description = "A condition on the customer, in the segment condition language (tags, buckets, "
                + "audiences, attributes, event aggregates), checked when the rule fires")
        JsonNode customer,
        @NotNull @Valid @Schema(required = true) Output lead,
        @Size(max = 10) @Schema(description = "Conversion events: one after the lead was made and before it is worked "
                + "(NEW or ASSIGNED) closes it as CONVERTED_NATURALLY, and one during a pending match drops the match")
        List<@NotNull @Valid EventMatch> conversions,
        @Schema(description = "No second lead from this rule for the same customer within this period (ISO-8601)",
                examples = "P7D") @JsonFormat(shape = JsonFormat.Shape.STRING) Duration cooldown,
        @Valid Reach reach,
        @Valid Pull pull) {

    static final int MAX_STEPS = 10;

    public LeadRuleInput {
        // Jackson gives an absent JsonNode as a JSON null
        customer = customer == null || customer.isNull() || customer.isMissingNode() ? null : customer;
        steps = steps == null ? List.of() : steps;
    }

    public enum Then {
        /** The step's event happens after the previous step's. */
        EVENT,
        /** The step's event does not happen within the step's window. */
        NOT
    }

    @Schema(name = "LeadRuleStep")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            @Schema(description = "How the step follows the previous one: EVENT (default) or NOT; absent on the first")
            Then then,
            @NotBlank @Size(max = 64) @Schema(required = true, examples = "product_viewed") String eventType,
            @Size(max = 20) @Schema(description = "Property filters, as in an event condition's where: each {prop, "
                    + "op, value} on a declared property of the event type") List<@NotNull JsonNode> where,
            @Schema(description = "EVENT: the most time after the previous step; NOT: how long the event "
                    + "must stay absent (required)", examples = "PT30M")
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration within) {

        boolean absence() {
            return then == Then.NOT;
        }
    }

    @Schema(name = "LeadRuleEventMatch")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventMatch(@NotBlank @Size(max = 64) @Schema(required = true, examples = "order_paid") String eventType,
            @Size(max = 20) List<@NotNull JsonNode> where) {
    }

    @Schema(name = "LeadRuleOutput", description = "The lead the rule makes")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(
            @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE)
            @Schema(required = true, examples = "fridge-sale") String type,
            @Schema(description = "Default NORMAL") LeadPriority priority,
            @Min(0) @Max(100) @Schema(description = "0 to 100 (default 50)") Integer score,
            @Schema(description = "A lead still open this long after it was made is closed as EXPIRED (ISO-8601, "
                    + "at least a minute)", examples = "P3D") @JsonFormat(shape = JsonFormat.Shape.STRING)
            Duration expiresAfter) {
    }

    @Schema(name = "LeadRuleReach", description = "Reach each new lead at once: a touchpoint on the channel (source "
            + "LEAD, naming the lead, made after its assignment), through the customer's consent, their contact details "
            + "and the service's frequency caps (a touchpoint held back is SUPPRESSED with the reason); cancelled while "
            + "still QUEUED if the lead closes first")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reach(@NotNull @Schema(required = true, examples = "CALL_TASK") Channel channel,
            @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9_.-]*", message = "must be lower-case letters, digits, "
                    + "'_', '.', '-'") @Schema(description = "The touchpoint's purpose (default sales)") String purpose,
            @NotNull @Valid @Schema(required = true) TouchpointContent content) {

        String purposeOrDefault() {
            return purpose == null ? "sales" : purpose;
        }
    }

    @Schema(name = "LeadRulePull", description = "An offline rule: on this schedule, a lead for every customer who "
            + "meets the rule's customer condition (an audience, tags, buckets, attributes) and has no open lead of the "
            + "same type (nor one from this rule within its cooldown)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pull(@NotBlank @Size(max = 120) @Schema(required = true, description = "Unix (5 fields) or Quartz "
            + "cron, at most once a minute", examples = "0 9 * * MON-FRI") String cron,
            @Size(max = 64) @Schema(description = "The cron expression's time zone (default UTC)",
                    examples = "Asia/Shanghai") String timeZone) {
    }

    boolean isActive() {
        return active == null || active;
    }
}
