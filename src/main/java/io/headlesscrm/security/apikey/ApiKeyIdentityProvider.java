package io.headlesscrm.security.apikey;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.security.Actor;
import io.headlesscrm.security.AuthFailureResponses;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Checks a presented API key against the stored hashes: unknown, revoked and expired keys are refused. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** last_used_at is for people ("is this key still in use?"), so it is written at most once a minute per key. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    @Inject
    ApiKeyRepository keys;

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!ApiKeySecret.wellFormed(request.key())) {
            return Uni.createFrom().failure(AuthFailureResponses.rejected(
                    "The API key is malformed: API keys are 'hcrm_' followed by letters and digits"));
        }
        String hash = ApiKeySecret.hash(request.key());
        return keys.findCredential(hash).flatMap(key -> {
            Instant now = Instant.now();
            if (key == null) {
                throw AuthFailureResponses.rejected("The API key is not known");
            }
            if (key.revokedAt() != null) {
                throw AuthFailureResponses.rejected("The API key was revoked");
            }
            if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
                throw AuthFailureResponses.rejected("The API key expired at " + key.expiresAt());
            }
            Uni<Void> touched = key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)
                    ? keys.touch(hash, key)
                    : Uni.createFrom().voidItem();
            return touched.replaceWith(() -> identity(key));
        });
    }

    private static SecurityIdentity identity(ApiKeyRepository.Credential key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("api-key:" + key.id()))
                .addRoles(new HashSet<>(key.roles()))
                .addAttribute(Actor.ATTRIBUTE_NAME, new Actor(Actor.API_KEY, key.id().toString(), key.name(), null))
                .build();
    }
}
