package io.headlesscrm.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives every authenticated identity, whether from a Keycloak token or an API key, the permissions its roles
 * grant ({@link Permissions}) and the {@link Actor} that audit rows and rate limits name.
 */
@ApplicationScoped
public class IdentityAugmentor implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> permissions = Permissions.of(identity.getRoles());
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity)
                .addPermissionsAsString(permissions)
                .addAttribute(Permissions.ATTRIBUTE, Set.copyOf(permissions));
        if (identity.getAttribute(Actor.ATTRIBUTE_NAME) == null && identity.getPrincipal() instanceof JsonWebToken token) {
            builder.addAttribute(Actor.ATTRIBUTE_NAME, Actor.of(token));
        }
        return Uni.createFrom().item(builder.build());
    }
}
