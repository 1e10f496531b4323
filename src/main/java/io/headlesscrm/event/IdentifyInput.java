package io.headlesscrm.event;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who an anonymous visitor turned out to be: exactly one of customerId and externalId. */
@Schema(name = "IdentifyInput")
public record IdentifyInput(
        @Schema(required = true) @NotBlank @Size(max = 128) String anonymousId,
        UUID customerId,
        @Size(min = 1, max = 128) String externalId,
        @Schema(description = "Merged into the customer's attributes (JSON merge patch: null removes one), as an "
                + "ordinary audited change sent as customer.updated")
        Map<String, Object> attributes) {

    @AssertTrue(message = "exactly one of customerId and externalId is required")
    @Schema(hidden = true)
    public boolean isOneCustomerReference() {
        return (customerId != null) != (externalId != null);
    }

    /** What identify did. */
    @Schema(name = "IdentifyResult")
    public record Result(@Schema(required = true) UUID customerId, @Schema(required = true) String anonymousId,
            @Schema(required = true, description = "Anonymous events that became the customer's by this call")
            int eventsMoved,
            @Schema(required = true, description = "The anonymous id was already linked to this customer") boolean alreadyLinked) {
    }
}
