package io.headlesscrm.security.apikey;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.security.Roles;

@Schema(name = "ApiKeyInput", description = "A new API key")
public record ApiKeyInput(
        @NotBlank @Size(max = 100) @Schema(examples = "shop sync") String name,
        @NotEmpty @Size(max = 5)
        @Schema(description = "Roles the key acts with", examples = "[\"crm-partner\"]")
        List<@NotNull @Pattern(regexp = Roles.PATTERN, message = "must be one of crm-admin, crm-marketer, crm-sales, crm-analyst, crm-partner")
        String> roles,
        @Future @Schema(description = "When the key stops working; absent: never", examples = "2027-01-01T00:00:00Z")
        Instant expiresAt) {
}
