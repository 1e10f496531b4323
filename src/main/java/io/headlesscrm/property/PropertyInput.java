package io.headlesscrm.property;

import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A property to declare. */
@Schema(name = "PropertyInput")
public record PropertyInput(
        @Schema(required = true, description = "CUSTOMER: a custom attribute; EVENT: an event property")
        @NotNull PropertyScope scope,
        @Schema(description = "EVENT only: the event type it belongs to; absent: every event type", examples = "order")
        @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9_.:-]*", message = "must be an event type") String eventType,
        @Schema(required = true, examples = "amount") @NotNull @Size(min = 1, max = 64)
        @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be letters, digits and '_', not starting with a digit")
        String name,
        @Schema(required = true) @NotNull PropertyType type,
        @Schema(description = "ENUM only: the allowed values") @Size(min = 1, max = 200)
        List<@NotNull @Size(min = 1, max = 100) String> values,
        @Size(max = 500) String description) {

    @AssertTrue(message = "values are given exactly for an ENUM")
    @Schema(hidden = true)
    public boolean isValuesMatchType() {
        return type == null || (type == PropertyType.ENUM) == (values != null);
    }

    @AssertTrue(message = "only an EVENT property has an eventType")
    @Schema(hidden = true)
    public boolean isEventTypeMatchesScope() {
        return eventType == null || scope == PropertyScope.EVENT;
    }
}
