package io.headlesscrm.touchpoint;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partner's report of what happened to a touchpoint. */
@Schema(name = "TouchpointStatusReport")
public record StatusReport(
        @Schema(description = "SENT, DELIVERED, OPENED, CLICKED, CONVERTED or FAILED") @NotNull TouchpointStatus status,
        @Schema(description = "Why it failed: required with FAILED") @Size(max = 500) String reason,
        @Schema(description = "When it happened at the partner; defaults to now") Instant occurredAt) {
}
