package io.headlesscrm.security;

import java.security.Permission;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.StringPermission;
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
        Set<String> permissions = Set.copyOf(Permissions.of(identity.getRoles()));
        List<StringPermission> granted = permissions.stream().map(IdentityAugmentor::permission).toList();
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity)
                .addPermissionChecker(required -> granted.stream().anyMatch(g -> g.implies(required))
                        ? Uni.createFrom().item(true)
                        // a refusal that says what was missing: GraphQL shows it as the error's message
                        : Uni.createFrom().failure(new ForbiddenException(
                                "Forbidden: your roles do not allow '" + describe(required) + "'")))
                .addAttribute(Permissions.ATTRIBUTE, permissions);
        if (identity.getAttribute(Actor.ATTRIBUTE_NAME) == null && identity.getPrincipal() instanceof JsonWebToken token) {
            builder.addAttribute(Actor.ATTRIBUTE_NAME, Actor.of(token));
        }
        return Uni.createFrom().item(builder.build());
    }

    /** {@code customers:read} as @PermissionsAllowed reads it: name {@code customers}, action {@code read}. */
    private static StringPermission permission(String nameAndAction) {
        int colon = nameAndAction.indexOf(':');
        return new StringPermission(nameAndAction.substring(0, colon), nameAndAction.substring(colon + 1));
    }

    private static String describe(Permission permission) {
        return permission.getActions() == null || permission.getActions().isEmpty() ? permission.getName()
                : permission.getName() + ":" + permission.getActions();
    }
}
