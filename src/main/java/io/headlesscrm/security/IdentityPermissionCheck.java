package io.headlesscrm.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.PermissionCheck;
import io.quarkus.security.identity.SecurityIdentity;

/** The request's identity asked for a permission, for the GraphQL plumbing in {@code common}. */
@ApplicationScoped
class IdentityPermissionCheck implements PermissionCheck {

    @Inject
    SecurityIdentity identity;

    @Override
    public boolean granted(String permission) {
        return Permissions.granted(identity, permission);
    }
}
