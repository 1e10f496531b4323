package io.headlesscrm.tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerFilter;

/** Several tags assigned to or removed from many customers: listed by id (at once) or by a filter (a job). */
@Schema(name = "BulkTagInput", description = "Tags to assign to or remove from many customers. Send exactly one of "
        + "customerIds (applied at once, all or nothing) and filter (a background job).")
public record BulkTagInput(
        @NotNull TagOperation operation,
        @NotEmpty @Size(max = BulkTagInput.MAX_TAGS, message = "at most " + BulkTagInput.MAX_TAGS + " tags per request")
        @Schema(examples = "[\"vip\", \"likes-hotels\"]")
        List<@NotNull @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE) String> tags,
        @Size(max = BulkTagInput.MAX_CUSTOMERS, message = "at most " + BulkTagInput.MAX_CUSTOMERS
                + " customers per request; send a filter instead to run a background job")
        @Schema(description = "Up to 1000 customers; duplicates count once, and a merged-away"
                + " customer's id names the survivor") List<@NotNull UUID> customerIds,
        @Schema(description = "The customers matching it, as in the customer list ({} is every customer)")
        CustomerFilter filter,
        @Schema(description = "ASSIGN only; default MANUAL") TagSource source,
        @Schema(description = "ASSIGN only: when the new assignments lapse; must be in the future") Instant expiresAt) {

    public static final int MAX_TAGS = 20;
    public static final int MAX_CUSTOMERS = 1000;

    TagSource sourceOrDefault() {
        return source == null ? TagSource.MANUAL : source;
    }
}
