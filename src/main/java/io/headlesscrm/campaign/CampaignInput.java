package io.headlesscrm.campaign;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
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

/** A campaign as a client writes it (and as it is stored: the definition column holds this record). */
@Schema(name = "CampaignInput")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignInput(
        @NotBlank @Size(max = 200) @Schema(required = true, examples = "Spring hotel sale") String name,
        @Size(max = 500) @Schema(description = "What the campaign is for, in words", examples = "Sell spring hotel packages")
        String goal,
        @NotNull @Valid @Schema(required = true) Audience audience,
        @NotNull @Schema(required = true) Channel channel,
        @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9_.-]*", message = "must be lower-case letters, digits, '_', '.', '-'")
        @Schema(description = "The touchpoints' purpose (default marketing)", examples = "marketing") String purpose,
        @Min(-1000) @Max(1000) @Schema(description = "When frequency caps force a choice between campaigns the higher "
                + "priority wins (default 0; ties go to the older campaign)") Integer priority,
        @NotNull @Size(min = 1, max = MAX_VARIANTS) @Schema(required = true, minItems = 1, maxItems = MAX_VARIANTS,
                description = "In priority order: a customer gets the first variant whose rule they satisfy. Adjacent "
                        + "variants with the same rule form an A/B split, weighted by weight")
        List<@NotNull @Valid Variant> variants,
        @NotNull @Valid @Schema(required = true) Schedule schedule,
        @Valid Conversion conversion,
        // a run holds back hashes below the percentage in basis points (CampaignRules.heldOut): two decimals exactly
        @DecimalMin("0") @DecimalMax("50") @Digits(integer = 2, fraction = 2, message = "must be 0 to 50 with at most 2 "
                + "decimal places") @Schema(description = "Percentage of the audience held back as a control group, 0 "
                        + "to 50 with at most 2 decimal places (default 0)", examples = "10") BigDecimal holdoutPercent,
        @Size(max = 5) @Schema(description = "At most max touchpoints per customer on the channel per window, across "
                + "all campaigns; the service's global caps apply as well") List<@NotNull @Valid Cap> caps,
        @Valid QuietHours quietHours) {

    static final int MAX_VARIANTS = 20;
    static final int MAX_TARGETS = 50;
    static final String HH_MM = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /** Whom to reach: anyone in an include entry and in no exclude entry. */
    @Schema(name = "CampaignAudience")
    public record Audience(
            @NotNull @Size(min = 1, max = MAX_TARGETS) @Schema(required = true, minItems = 1, maxItems = MAX_TARGETS)
            List<@NotNull @Valid Target> include,
            @Size(max = MAX_TARGETS) List<@NotNull @Valid Target> exclude) {
    }

    /** An audience (segment), a dimension's bucket (segment and bucket) or a tag. */
    @Schema(name = "CampaignTarget", description = "segment (an audience's key), segment and bucket (a dimension's "
            + "bucket), or tag (a tag key)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(@Size(max = 64) String segment, @Size(max = 64) String bucket,
            @Size(max = 64) @Pattern(regexp = TagInput.KEY_PATTERN, message = "must be a tag key") String tag) {
    }

    @Schema(name = "CampaignVariant")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variant(
            @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = "must be a key: lower-case letters, digits, '-', '_'")
            @Schema(required = true, examples = "vip") String key,
            @Valid @Schema(description = "Who this variant is for; absent: the default, for anyone") Target rule,
            @Min(1) @Max(10000) @Schema(description = "Share within an A/B split (default 1)") Integer weight,
            @NotNull @Valid @Schema(required = true) TouchpointContent content) {
    }

    public enum ScheduleType {
        NOW, AT, CRON, ENTRY
    }

    @Schema(name = "CampaignSchedule", description = "NOW (when scheduled), AT a time, CRON (recurring; 5 fields, "
            + "or 6-7 with seconds first), or ENTRY (whenever a customer enters the entering audience or bucket)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Schedule(@NotNull @Schema(required = true) ScheduleType type, Instant at,
            @Size(max = 120) @Schema(examples = "0 9 * * MON") String cron,
            @Size(max = 64) @Schema(description = "The cron expression's time zone (default UTC)",
                    examples = "Asia/Shanghai") String timeZone,
            @Valid Target entering) {
    }

    @Schema(name = "CampaignConversion", description = "A conversion: the event by a reached (or held-out) customer "
            + "within the window after their touchpoint (the run, for the held-out)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conversion(@NotBlank @Size(max = 64) @Schema(required = true, examples = "order") String eventType,
            @Size(max = 20) @Schema(description = "Property filters, as in an event condition's where: each {prop, op, "
                    + "value} on a declared property of the event type") List<@NotNull JsonNode> where,
            @Schema(description = "ISO-8601 duration, over zero and at most 90 days (default P7D)", examples = "P7D")
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration window) {
    }

    @Schema(name = "CampaignCap")
    public record Cap(@NotNull @Min(1) @Max(1000) @Schema(required = true, examples = "2") Integer max,
            @NotNull @Schema(required = true, description = "ISO-8601 duration, 1 hour to 90 days", examples = "P1D")
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration window) {
    }

    @Schema(name = "CampaignQuietHours", description = "No sends from start to end (local time; may span midnight) in "
            + "the customer's time zone (attribute timezone, an IANA name), else in timeZone; held, not dropped")
    public record QuietHours(
            @NotNull @Schema(required = true, implementation = String.class, pattern = HH_MM, examples = "21:00")
            @JsonFormat(pattern = "HH:mm") LocalTime start,
            @NotNull @Schema(required = true, implementation = String.class, pattern = HH_MM, examples = "08:00")
            @JsonFormat(pattern = "HH:mm") LocalTime end,
            @Size(max = 64) @Schema(description = "Default UTC", examples = "Asia/Shanghai") String timeZone) {
    }
}
