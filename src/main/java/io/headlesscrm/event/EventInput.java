package io.headlesscrm.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One behaviour event as a product reports it. Exactly one of customerId, externalId and anonymousId names who. */
@Schema(name = "EventInput")
public record EventInput(
        @Schema(required = true, description = "The client's id of the event: a replay with the same id, customer "
                + "and occurredAt is stored once", examples = "evt-20261124-000123")
        @NotBlank @Size(max = 128) String eventId,
        @Schema(required = true, examples = "order")
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9_.:-]*",
                message = "must be lower-case letters, digits, '_', '.', ':', '-'") String type,
        UUID customerId,
        @Size(min = 1, max = 128) String externalId,
        @Schema(description = "A visitor not yet known as a customer; POST /api/v1/identify links it to one")
        @Size(min = 1, max = 128) String anonymousId,
        @Schema(required = true) @NotNull Instant occurredAt,
        @Schema(description = "Free-form; declared properties are validated by their definition")
        Map<String, Object> properties,
        @Size(max = 100) List<@NotNull @Valid Item> items,
        @Valid Context context) {

    @AssertTrue(message = "exactly one of customerId, externalId and anonymousId is required")
    @Schema(hidden = true)
    public boolean isOneCustomerReference() {
        return (customerId != null ? 1 : 0) + (externalId != null ? 1 : 0) + (anonymousId != null ? 1 : 0) == 1;
    }

    /** A line of the event: what was viewed, put in the cart, ordered or refunded. */
    @Schema(name = "EventItem")
    public record Item(@Size(max = 128) String sku, @Size(max = 200) String name, @Size(max = 128) String category,
            @DecimalMin("0") BigDecimal price, @PositiveOrZero Integer quantity, Map<String, Object> properties) {
    }

    /** Where the event happened. */
    @Schema(name = "EventContext")
    public record Context(@Schema(examples = "app") @Size(max = 64) String channel,
            @Schema(examples = "iPhone15,2") @Size(max = 128) String device, @Size(max = 45) String ip,
            @Size(max = 512) String userAgent) {
    }
}
