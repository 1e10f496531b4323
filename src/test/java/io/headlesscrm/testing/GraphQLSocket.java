package io.headlesscrm.testing;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A GraphQL-over-WebSocket client for tests, on a real socket: {@code graphql-transport-ws} (what graphql-ws
 * clients speak) or the legacy {@code graphql-ws} (subscriptions-transport-ws). It keeps every message the server
 * sent and how the server closed the socket.
 */
public final class GraphQLSocket implements AutoCloseable {

    public static final String TRANSPORT_WS = "graphql-transport-ws";
    public static final String LEGACY_WS = "graphql-ws";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebSocket socket;
    private final String subprotocol;
    private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    private volatile Short closeCode;
    private volatile String closeReason;

    private GraphQLSocket(WebSocket socket, String subprotocol) {
        this.socket = socket;
        this.subprotocol = subprotocol;
        socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
        socket.closeHandler(v -> {
            closeReason = socket.closeReason();
            closeCode = socket.closeStatusCode();
        });
    }

    /**
     * Opens a socket to {@code endpoint} with these headers on the upgrade request; fails (an
     * {@code UpgradeRejectedException} inside) when the server refuses the upgrade.
     */
    public static GraphQLSocket open(Vertx vertx, URL endpoint, String subprotocol, Map<String, String> headers)
            throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(endpoint.getHost())
                .setPort(endpoint.getPort()).setURI(endpoint.getPath()).addSubProtocol(subprotocol);
        headers.forEach(options::addHeader);
        WebSocket socket = vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return new GraphQLSocket(socket, subprotocol);
    }

    /** {@code connection_init} with this payload (none when null). */
    public GraphQLSocket init(JsonObject payload) {
        JsonObject init = new JsonObject().put("type", "connection_init");
        return send(payload == null ? init : init.put("payload", payload));
    }

    /** {@code connection_init} with a payload, then waits for {@code connection_ack}. */
    public GraphQLSocket connect(JsonObject payload) {
        init(payload);
        awaitType("connection_ack");
        return this;
    }

    /** Starts operation {@code id}: {@code subscribe} in graphql-transport-ws, {@code start} in graphql-ws. */
    public GraphQLSocket subscribe(String id, String query) {
        return send(new JsonObject().put("id", id).put("type", TRANSPORT_WS.equals(subprotocol) ? "subscribe" : "start")
                .put("payload", new JsonObject().put("query", query)));
    }

    public GraphQLSocket send(JsonObject message) {
        socket.writeTextMessage(message.encode());
        return this;
    }

    /** The first message of this type, waiting for it. */
    public JsonObject awaitType(String type) {
        return first(m -> type.equals(m.getString("type")), "a '" + type + "' message");
    }

    /** The first message for operation {@code id} that ends it: an error, or complete. */
    public JsonObject awaitEnd(String id) {
        return first(m -> id.equals(m.getString("id")) && List.of("error", "complete").contains(m.getString("type")),
                "the end of operation " + id);
    }

    public JsonObject first(Predicate<JsonObject> wanted, String what) {
        waitFor(() -> messages.stream().anyMatch(wanted), what);
        return messages.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** The close code the server sent, waiting for the close. */
    public int awaitClose() {
        waitFor(() -> closeCode != null, "the socket closes");
        return closeCode;
    }

    /** Waits; on timeout, says what was received by then. */
    private void waitFor(Callable<Boolean> condition, String what) {
        try {
            Awaitility.await().atMost(WAIT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No " + what + " within " + WAIT + "; got " + messages
                    + (closeCode == null ? ", open" : ", closed " + closeCode + " " + closeReason), e);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    public List<JsonObject> messages() {
        return messages;
    }

    /** The messages for operation {@code id}, in order. */
    public List<JsonObject> messages(String id) {
        return messages.stream().filter(m -> id.equals(m.getString("id"))).toList();
    }

    /** The last {@code next} message for operation {@code id}: its data's {@code field}; fails when none came. */
    public JsonObject lastData(String id, String field) {
        List<JsonObject> next = messages(id).stream().filter(m -> "next".equals(m.getString("type"))).toList();
        if (next.isEmpty()) {
            throw new AssertionError("No next message for operation " + id + ": " + messages);
        }
        return next.get(next.size() - 1).getJsonObject("payload").getJsonObject("data").getJsonObject(field);
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }
}
