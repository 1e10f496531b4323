package io.headlesscrm.customer;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A customer as a client writes it (create, and replace by external id). Absent {@code type} means
 * INDIVIDUAL; absent {@code attributes} means none.
 */
@Schema(name = "CustomerInput", description = "A customer as written by a client")
public record CustomerInput(
        @Size(max = 128) @Pattern(regexp = "[^\\s/]+", message = "must not contain spaces or slashes")
        @Schema(description = "The partner's own id; unique when present", examples = "crm-42") String externalId,
        @Schema(defaultValue = "INDIVIDUAL") CustomerType type,
        @NotBlank @Size(max = 200) @Schema(examples = "Ada Lovelace") String name,
        @Email @Size(max = 254) @Schema(examples = "ada@example.com") String email,
        @Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be an E.164 number such as +14155550123")
        @Schema(description = "E.164", examples = "+14155550123") String phone,
        @Schema(examples = "2026-01-15T09:30:00Z") Instant registeredAt,
        @Schema(examples = "2026-11-20T18:05:00Z") Instant lastActiveAt,
        @Size(max = 100, message = "must have at most 100 attributes")
        @Schema(description = "Custom properties: a JSON object of up to 100 keys",
                examples = "{\"tier\": \"gold\", \"city\": \"Shanghai\"}")
        Map<@Pattern(regexp = CustomerInput.ATTRIBUTE_NAME, message = "attribute names are letters, digits and _ (at most 64), starting with a letter")
        String, Object> attributes) {

    /** What an attribute's name may be, wherever one is named (imports, exports, assignment rules). */
    public static final String ATTRIBUTE_NAME = "[A-Za-z][A-Za-z0-9_]{0,63}";

    public CustomerInput {
        type = type == null ? CustomerType.INDIVIDUAL : type;
        attributes = attributes == null ? Map.of() : attributes;
    }

    CustomerInput withExternalId(String id) {
        return new CustomerInput(id, type, name, email, phone, registeredAt, lastActiveAt, attributes);
    }
}
