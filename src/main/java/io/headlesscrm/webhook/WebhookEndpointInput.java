package io.headlesscrm.webhook;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint as an admin writes it (create, or the merged result of a patch). */
@Schema(name = "WebhookEndpointInput", description = "A partner system subscribed to events")
public record WebhookEndpointInput(
        @NotBlank @Size(max = 2048) @Schema(examples = "https://partner.example.com/crm-events") String url,
        @NotEmpty @Size(max = 50)
        @Schema(description = "Event types to receive: exact (touchpoint.created), a group (touchpoint.*) or *",
                examples = "[\"touchpoint.*\"]") List<@NotNull @Size(max = 100) String> eventTypes,
        @Size(max = 500) String description,
        @Schema(description = "Default true") Boolean enabled,
        @Min(1) @Max(10_000) @Schema(description = "Deliveries per second at most; absent: no limit") Integer rateLimitPerSecond) {
}
