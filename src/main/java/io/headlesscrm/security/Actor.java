package io.headlesscrm.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who made a request, as the audit log and the rate limiter name it: a person signed in through Keycloak
 * ({@code user}), a Keycloak service account ({@code client}), an API key ({@code api-key}) or the service
 * itself ({@code system}). {@code id} is stable (token subject, key id); {@code name} is for people to read.
 */
@Schema(name = "Actor", description = "Who made a change")
public record Actor(
        @Schema(required = true, examples = "user", enumeration = { "user", "client", "api-key", "system" }) String type,
        @Schema(required = true, examples = "5f0c6a1e-8f3b-4c1d-9a7e-2b6d4e8f1a3c") String id,
        @Schema(examples = "marketer") String name,
        @Schema(description = "The OAuth client the token was issued to", examples = "crm-spa") String clientId) {

    public static final String USER = "user";
    public static final String CLIENT = "client";
    public static final String API_KEY = "api-key";
    public static final Actor SYSTEM = new Actor("system", "system", "Headless CRM", null);

    /** Identity attribute holding the actor. */
    public static final String ATTRIBUTE_NAME = "crm.actor";

    /** The actor behind an authenticated identity; {@link #SYSTEM} when there is none. */
    public static Actor of(SecurityIdentity identity) {
        Actor actor = identity == null ? null : identity.getAttribute(ATTRIBUTE_NAME);
        return actor == null ? SYSTEM : actor;
    }

    static Actor of(JsonWebToken token) {
        String clientId = token.getClaim("azp");
        String username = token.getClaim("preferred_username");
        // Keycloak marks client-credentials tokens with client_id and a service-account-<client> username
        boolean serviceAccount = token.containsClaim("client_id")
                || (username != null && username.startsWith("service-account-"));
        return new Actor(serviceAccount ? CLIENT : USER, token.getSubject(), username != null ? username : token.getName(),
                clientId);
    }
}
