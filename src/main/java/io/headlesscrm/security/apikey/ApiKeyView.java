package io.headlesscrm.security.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API key as the API shows it: never the key, except once in the answer to its creation. */
@Schema(name = "ApiKey", description = "An API key; the key itself is only in the response that created it")
public record ApiKeyView(
        @Schema(required = true) UUID id,
        @Schema(required = true, examples = "shop sync") String name,
        @Schema(required = true, description = "The first and last characters of the key, to recognise it", examples = "hcrm_Ab3d…x9Z2")
        String keyHint,
        @Schema(required = true, examples = "[\"crm-partner\"]") List<String> roles,
        @Schema(required = true) Status status,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, description = "The actor that created the key (type:id)", examples = "user:5f0c6a1e-8f3b-4c1d-9a7e-2b6d4e8f1a3c")
        String createdBy,
        Instant expiresAt,
        Instant revokedAt,
        @Schema(description = "When a request last used the key (to the minute)") Instant lastUsedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The key. Only in the response to its creation: store it now, it cannot be shown again",
                examples = "hcrm_3Fq9ZkT0bW2mXcV7nR1yPa8sLd4Ge6HuJi5oKt0Q")
        String key) {

    @Schema(name = "ApiKeyStatus")
    public enum Status {
        ACTIVE, EXPIRED, REVOKED
    }

    static ApiKeyView of(ApiKey k, String key) {
        Status status = k.getRevokedAt() != null ? Status.REVOKED
                : k.getExpiresAt() != null && !k.getExpiresAt().isAfter(Instant.now()) ? Status.EXPIRED
                : Status.ACTIVE;
        return new ApiKeyView(k.getId(), k.getName(), k.getKeyHint(), k.getRoles(), status, k.getCreatedAt(),
                k.getCreatedBy(), k.getExpiresAt(), k.getRevokedAt(), k.getLastUsedAt(), key);
    }

    static ApiKeyView of(ApiKey k) {
        return of(k, null);
    }
}
