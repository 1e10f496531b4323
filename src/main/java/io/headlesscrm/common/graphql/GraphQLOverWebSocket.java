package io.headlesscrm.common.graphql;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.graphql.websocket.GraphQLWebSocketSession;
import io.smallrye.graphql.websocket.GraphQLWebsocketHandler;
import io.smallrye.graphql.websocket.graphqltransportws.GraphQLTransportWSSubprotocolHandler;
import io.smallrye.graphql.websocket.graphqlws.GraphQLWSSubprotocolHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;

/**
 * GraphQL over WebSocket at the GraphQL path, {@code graphql-transport-ws} and the legacy {@code graphql-ws}, where
 * a browser can use it: a browser cannot put headers on a WebSocket, so graphql-ws clients send their credentials
 * in {@code connection_init}'s payload. The upgrade itself passes without credentials (the path's HTTP policy,
 * {@code security/WebSocketUpgradePolicy}), and {@link ConnectionInit} authenticates the connection before
 * SmallRye's protocol handler exists, so no operation runs before.
 * <p>
 * Quarkus's own {@code quarkus.smallrye-graphql.authorization-client-init-payload-name} cannot do this: it reads one
 * payload key as an {@code Authorization} header (not our {@code X-API-Key}, nor the key in another case), acks a
 * connection without credentials as anonymous, and closes every refusal with 4403. So this route takes upgrades
 * before SmallRye's own (order -99, which then sees none) and reuses SmallRye's protocol handlers unchanged. Recheck
 * it when Quarkus is upgraded.
 */
@ApplicationScoped
public class GraphQLOverWebSocket {

    private static final Logger LOG = Logger.getLogger(GraphQLOverWebSocket.class);
    static final String TRANSPORT_WS = "graphql-transport-ws";
    static final String LEGACY_WS = "graphql-ws";

    @Inject
    CurrentIdentityAssociation identity;
    @Inject
    CurrentVertxRequest currentRequest;
    @ConfigProperty(name = "quarkus.smallrye-graphql.root-path")
    String rootPath;

    /** Whether the request asks to become a WebSocket (the only requests the path lets in without credentials). */
    public static boolean isUpgrade(HttpServerRequest request) {
        return request.method() == HttpMethod.GET
                && request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
    }

    /**
     * A filter of path authorization's priority runs right after it (Quarkus adds application filters after its
     * own), so after authentication and the path's policy, and before SmallRye's WebSocket route.
     */
    void install(@Observes Filters filters) {
        String path = rootPath.startsWith("/") ? rootPath : "/" + rootPath;
        Upgrade upgrade = new Upgrade(identity, currentRequest);
        filters.register(rc -> {
            if (path.equals(rc.normalizedPath()) && isUpgrade(rc.request())) {
                upgrade.handle(rc);
            } else {
                rc.next();
            }
        }, SecurityHandlerPriorities.AUTHORIZATION);
    }

    /** One upgrade: SmallRye's base class gives it the request context and the caller's identity, if any. */
    static final class Upgrade extends SmallRyeGraphQLAbstractHandler {

        Upgrade(CurrentIdentityAssociation identity, CurrentVertxRequest currentRequest) {
            super(identity, currentRequest, false);
        }

        @Override
        protected void doHandle(RoutingContext rc) {
            Map<String, Object> context = getMetaData(rc); // holds the request context state operations run in
            rc.request().toWebSocket().onSuccess(socket -> open(rc, socket, context)).onFailure(e -> {
                LOG.debugf("WebSocket upgrade failed: %s", e.getMessage());
                if (!rc.response().ended()) {
                    rc.response().setStatusCode(400).end();
                }
            });
        }

        private static void open(RoutingContext rc, ServerWebSocket socket, Map<String, Object> context) {
            Session session = new Session(socket);
            String subprotocol = socket.subProtocol();
            Supplier<GraphQLWebsocketHandler> protocol;
            if (TRANSPORT_WS.equals(subprotocol)) {
                protocol = () -> new GraphQLTransportWSSubprotocolHandler(session, context);
            } else if (LEGACY_WS.equals(subprotocol)) {
                protocol = () -> new GraphQLWSSubprotocolHandler(session, context);
            } else {
                socket.close((short) 4406, "Subprotocol not acceptable: use graphql-transport-ws");
                return;
            }
            ConnectionInit connection = new ConnectionInit(rc, session, LEGACY_WS.equals(subprotocol), context, protocol);
            socket.textMessageHandler(connection::onMessage);
            socket.exceptionHandler(connection::onThrowable);
            socket.closeHandler(v -> connection.onClose());
        }
    }

    /** The socket as SmallRye's protocol handlers write to it. */
    record Session(ServerWebSocket socket) implements GraphQLWebSocketSession {

        @Override
        public void sendMessage(String message) {
            socket.writeTextMessage(message);
        }

        @Override
        public void close(short statusCode, String reason) {
            socket.close(statusCode, reason);
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public String toString() {
            return String.valueOf(socket.remoteAddress());
        }
    }
}
