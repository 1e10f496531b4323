package io.headlesscrm.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.graphql.GraphQLOverWebSocket;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The GraphQL path's policy: a WebSocket upgrade passes without credentials, because a browser cannot put headers
 * on one; its client authenticates in {@code connection_init} instead, before any operation runs
 * ({@link GraphQLOverWebSocket}). Every other request needs credentials, as everywhere else. Credentials that are
 * given on the upgrade and are bad still make it a 401: authentication runs before any policy.
 */
@ApplicationScoped
public class WebSocketUpgradePolicy implements HttpSecurityPolicy {

    public static final String NAME = "websocket-upgrade";

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext rc, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (GraphQLOverWebSocket.isUpgrade(rc.request())) {
            return CheckResult.permit();
        }
        return identity.map(i -> i.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return NAME;
    }
}
