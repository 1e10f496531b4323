package io.headlesscrm.touchpoint;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A touchpoint to create. */
@Schema(name = "TouchpointInput")
public record TouchpointInput(
        @Schema(description = "A merged-away customer's id names the survivor, who is reached instead")
        @NotNull UUID customerId,
        @NotNull Channel channel,
        @Schema(description = "Why the customer is reached, e.g. marketing, transactional, service", examples = "marketing")
        @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9_.-]*", message = "must be lower-case letters, digits, '_', '.', '-'")
        String purpose,
        @NotNull @Valid TouchpointContent content,
        @Schema(description = "Defaults to MANUAL") TouchpointSource source,
        @Schema(description = "Retrying with the same key returns the touchpoint the first call created, and creates "
                + "nothing (kept 24 h)")
        @Size(min = 1, max = 255) String idempotencyKey) {

    TouchpointInput withIdempotencyKey(String key) {
        return new TouchpointInput(customerId, channel, purpose, content, source, key);
    }

    TouchpointInput withCustomerId(UUID id) {
        return new TouchpointInput(id, channel, purpose, content, source, idempotencyKey);
    }
}
