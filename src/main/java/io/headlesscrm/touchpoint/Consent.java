package io.headlesscrm.touchpoint;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer's consent to be reached on one channel. Without a record the customer has not opted out. */
public final class Consent {

    private Consent() {
    }

    @Schema(name = "ConsentStatus")
    public enum Status {
        OPTED_IN, OPTED_OUT
    }

    @Schema(name = "ConsentInput")
    public record Input(@NotNull Status status,
            @Schema(description = "Where the customer said so, e.g. unsubscribe-link, STOP reply, call-center")
            @Size(max = 64) String source) {
    }

    @Schema(name = "Consent")
    public record View(@Schema(required = true) Channel channel, @Schema(required = true) Status status, String source, Instant updatedAt) {
    }
}
