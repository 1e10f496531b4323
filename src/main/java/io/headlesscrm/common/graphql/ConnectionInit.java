package io.headlesscrm.common.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.headlesscrm.common.error.DatabaseUnavailable;
import io.headlesscrm.common.error.InternalFailure;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.smallrye.graphql.runtime.SmallRyeAuthGraphQLWSHandler;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.graphql.websocket.GraphQLWebsocketHandler;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One GraphQL WebSocket until and after its {@code connection_init}: the connection is authenticated by the
 * credentials of the upgrade request or those of the payload (never both), by the same HTTP authentication
 * mechanisms as any request, and only then does SmallRye's protocol handler exist, acknowledge and run operations.
 * Close codes follow graphql-transport-ws (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md): 4401
 * without credentials or with credentials that do not authenticate, or an operation before {@code connection_init};
 * 4400 credentials given twice or a malformed message; 4408 no {@code connection_init} in time; 4429 a second one;
 * 1013 when credentials cannot be checked now (the database is unavailable). The legacy graphql-ws protocol has no
 * close codes of its own: it gets a {@code connection_error} with the reason, then the same close.
 * <p>
 * Every method runs on the socket's event loop, so the state needs no locking.
 */
final class ConnectionInit {

    private static final Logger LOG = Logger.getLogger(ConnectionInit.class);
    /** Request headers the HTTP authentication mechanisms read (OIDC's bearer token, security/apikey's API key). */
    private static final List<String> CREDENTIAL_HEADERS = List.of(HttpHeaders.AUTHORIZATION.toString(), "X-API-Key");
    /** graphql-ws's server waits 3 s; slow mobile networks and a token refresh before connecting need more. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);

    private enum State {
        WAITING, AUTHENTICATING, OPEN, CLOSED
    }

    private final RoutingContext upgrade;
    private final GraphQLOverWebSocket.Session session;
    private final boolean legacy;
    private final Map<String, Object> executionContext;
    private final Supplier<GraphQLWebsocketHandler> protocolHandler;
    private final Context eventLoop;
    private final long initTimer;
    /** What the client sent while its credentials were being checked: legacy clients start operations at once. */
    private final List<String> pending = new ArrayList<>();
    private State state = State.WAITING;
    private GraphQLWebsocketHandler protocol;
    private Cancellable expiry;

    ConnectionInit(RoutingContext upgrade, GraphQLOverWebSocket.Session session, boolean legacy,
            Map<String, Object> executionContext, Supplier<GraphQLWebsocketHandler> protocolHandler) {
        this.upgrade = upgrade;
        this.session = session;
        this.legacy = legacy;
        this.executionContext = executionContext;
        this.protocolHandler = protocolHandler;
        this.eventLoop = upgrade.vertx().getOrCreateContext();
        this.initTimer = upgrade.vertx().setTimer(INIT_TIMEOUT.toMillis(),
                id -> refuse(4408, "Connection initialisation timeout"));
    }

    void onMessage(String text) {
        switch (state) {
            case OPEN -> protocol.onMessage(text);
            case AUTHENTICATING -> {
                if (isInit(parse(text))) {
                    refuse(4429, "Too many initialisation requests");
                } else {
                    pending.add(text);
                }
            }
            case WAITING -> {
                JsonObject message = parse(text);
                if (message == null) {
                    refuse(4400, "Invalid message: not a JSON object");
                } else if (!isInit(message)) {
                    refuse(4401, "Unauthorized: send connection_init first");
                } else {
                    initialise(text, message);
                }
            }
            case CLOSED -> {
            }
        }
    }

    void onThrowable(Throwable failure) {
        if (protocol != null) {
            protocol.onThrowable(failure);
        } else {
            LOG.debugf("GraphQL WebSocket failed before connection_init: %s", failure.getMessage());
        }
    }

    void onClose() {
        state = State.CLOSED;
        upgrade.vertx().cancelTimer(initTimer);
        if (expiry != null) {
            expiry.cancel();
        }
        if (protocol != null) {
            protocol.onClose();
        }
    }

    private void initialise(String text, JsonObject init) {
        Object payload = init.getValue("payload");
        if (payload != null && !(payload instanceof JsonObject)) {
            refuse(4400, "Invalid message: connection_init's payload must be an object");
            return;
        }
        Map<String, String> credentials = credentials((JsonObject) payload);
        SecurityIdentity upgraded = upgrade.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (upgraded != null && upgraded.isAnonymous()) {
            upgraded = null; // no credentials on the upgrade request
        }
        if (credentials == null || (upgraded != null && !credentials.isEmpty())) {
            refuse(4400, "Credentials given twice: send them once, in connection_init or on the upgrade request");
        } else if (!credentials.isEmpty()) {
            state = State.AUTHENTICATING;
            credentials.forEach(upgrade.request().headers()::set);
            HttpAuthenticator authenticator = upgrade.get(HttpAuthenticator.class.getName());
            authenticator.attemptAuthentication(upgrade).subscribe().with(
                    identity -> eventLoop.runOnContext(v -> authenticated(text, identity)),
                    failure -> eventLoop.runOnContext(v -> failed(failure)));
        } else if (upgraded != null) {
            open(text, upgraded);
        } else {
            refuse(4401, "Unauthorized: put {\"Authorization\": \"Bearer <token>\"} or {\"X-API-Key\": \"<key>\"} "
                    + "in connection_init's payload");
        }
    }

    /**
     * The payload's credentials as the request headers they stand for, names matched as HTTP matches header names
     * (in any case); null when one is given twice.
     */
    private static Map<String, String> credentials(JsonObject payload) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String key : payload == null ? List.<String> of() : payload.fieldNames()) {
            for (String header : CREDENTIAL_HEADERS) {
                if (header.equalsIgnoreCase(key) && payload.getValue(key) instanceof String value && !value.isBlank()
                        && found.put(header, value.trim()) != null) {
                    return null;
                }
            }
        }
        return found;
    }

    private void authenticated(String init, SecurityIdentity identity) {
        if (state != State.AUTHENTICATING) {
            return; // closed meanwhile
        }
        if (identity == null || identity.isAnonymous()) { // no mechanism took the credentials (Basic, say)
            refuse(4401, "Unauthorized: the credentials were not accepted");
        } else {
            open(init, identity);
        }
    }

    private void failed(Throwable failure) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (DatabaseUnavailable.causedBy(failure)) {
            refuse(1013, "Try again later: the credentials cannot be checked now");
        } else if (causedBy(failure, AuthenticationFailedException.class)) {
            refuse(4401, "Unauthorized: the credentials were not accepted");
        } else {
            InternalFailure reported = InternalFailure.report(failure, "GraphQL WebSocket connection_init");
            refuse(1011, "Internal error " + reported.errorId());
        }
    }

    /** The connection is the identity's: its operations run with it, and the socket closes when it expires. */
    private void open(String init, SecurityIdentity identity) {
        state = State.OPEN;
        upgrade.vertx().cancelTimer(initTimer);
        QuarkusHttpUser.setIdentity(identity, upgrade);
        associate(identity);
        expiry = SmallRyeAuthGraphQLWSHandler.createAuthExpiryTask(upgrade, session);
        protocol = protocolHandler.get();
        protocol.onMessage(init); // connection_ack
        pending.forEach(protocol::onMessage);
        pending.clear();
    }

    /** Sets the identity in the request context that SmallRye's data fetchers reactivate for each operation. */
    private void associate(SecurityIdentity identity) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate((InjectableContext.ContextState) executionContext.get("state"));
        try {
            Arc.container().instance(CurrentIdentityAssociation.class).get().setIdentity(identity);
        } finally {
            requestContext.deactivate();
        }
    }

    private void refuse(int code, String reason) {
        if (state == State.CLOSED || state == State.OPEN) { // refusals are of connections not yet open
            return;
        }
        state = State.CLOSED;
        upgrade.vertx().cancelTimer(initTimer);
        pending.clear();
        if (legacy) {
            session.sendMessage(new JsonObject().put("type", "connection_error")
                    .put("payload", new JsonObject().put("message", reason)).encode());
        }
        session.close((short) code, reason);
    }

    private static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static boolean isInit(JsonObject message) {
        return message != null && "connection_init".equals(message.getValue("type"));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
