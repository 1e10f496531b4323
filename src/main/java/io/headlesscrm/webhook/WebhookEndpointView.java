package io.headlesscrm.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint as the API shows it; the secret only in the answer that created or rotated it. */
@Schema(name = "WebhookEndpoint", description = "A partner system subscribed to events")
public record WebhookEndpointView(
        @Schema(required = true) UUID id,
        @Schema(required = true) String url,
        String description,
        @Schema(required = true) List<String> eventTypes,
        @Schema(required = true) boolean enabled,
        Integer rateLimitPerSecond,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The signing secret (whsec_…): only in the answer to create and rotate-secret; keep it")
        String secret,
        @Schema(description = "Until when the previous secret still signs too, after a rotation") Instant previousSecretUntil,
        @Schema(description = "Since when every delivery has failed (none since succeeded); absent when healthy")
        Instant failingSince,
        @Schema(description = "Why the service disabled the endpoint (410 Gone, or failing for too long); cleared "
                + "when it is enabled again")
        String disabledReason,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt,
        @Schema(required = true) long version) {

    static WebhookEndpointView of(WebhookEndpoint e, String secret) {
        WebhookEndpointInput in = e.toInput();
        return new WebhookEndpointView(e.getId(), in.url(), in.description(), in.eventTypes(), in.enabled(),
                in.rateLimitPerSecond(), secret, e.getPreviousSecretUntil(), e.getFailingSince(),
                e.getDisabledReason(), e.getCreatedAt(), e.getUpdatedAt(),
                e.getVersion());
    }

    String etag() {
        return Long.toString(version);
    }
}
