package io.headlesscrm.security.apikey;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.security.AuthFailureResponses;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an API key from {@code X-API-Key}, or from {@code Authorization: Bearer hcrm_…}. It runs before the
 * OIDC mechanism, which gets every other bearer token. It also answers every 401 challenge, so that each one
 * carries a problem+json body, whichever mechanism refused the request.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    public static final String HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    @Inject
    AuthFailureResponses responses;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identities) {
        String key = presentedKey(rc);
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(key), rc));
    }

    private static String presentedKey(RoutingContext rc) {
        String header = rc.request().getHeader(HEADER);
        if (header != null) {
            return header.trim();
        }
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.startsWith(ApiKeySecret.PREFIX) ? token : null;
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext rc) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", AuthFailureResponses.CHALLENGE));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext rc) {
        responses.unauthorized(rc);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    /** Ahead of OIDC (1001), so an {@code hcrm_} bearer is never mistaken for a JWT. */
    @Override
    public int getPriority() {
        return 2000;
    }
}
