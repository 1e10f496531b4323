package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.act;
import static io.headlesscrm.campaign.CampaignTest.assign;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.create;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.status;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.GraphQLSocket.LEGACY_WS;
import static io.headlesscrm.testing.GraphQLSocket.TRANSPORT_WS;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Credentials;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.GraphQLSocket;
import io.headlesscrm.testing.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * Subscriptions as a browser opens them: no header on the WebSocket upgrade, credentials in
 * {@code connection_init}'s payload, refused with the protocol's close codes; and as a Node client does, with a
 * header on the upgrade.
 */
@QuarkusTest
class CampaignSubscriptionAuthTest {

    /** A campaign whose only run has finished: a subscription to it sends that run once and ends. */
    private static String finished;

    @Inject
    Vertx vertx;
    @TestHTTPResource("/graphql")
    URL endpoint;

    private GraphQLSocket open(String subprotocol) throws Exception {
        return GraphQLSocket.open(vertx, endpoint, subprotocol, Map.of());
    }

    private static String progressOf(String campaign) {
        return "subscription { campaignProgress(campaign: \"" + campaign + "\") { status outcomes { outcome count } } }";
    }

    private static synchronized String finishedCampaign() {
        if (finished == null) {
            String m = marker();
            tag(m);
            assign(Fixtures.customer(null, null), m);
            String id = create(definition(m, List.of(Map.of("key", "only", "content", content("Hi")))));
            act(id, "schedule", "SCHEDULED");
            await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status(id)));
            finished = id;
        }
        return finished;
    }

    private static JsonObject bearer(String token) {
        return new JsonObject().put("Authorization", "Bearer " + token);
    }

    /** The finished campaign's progress arrives over this connected socket: its last state, then the end. */
    private static void receivesFinishedProgress(GraphQLSocket socket, String id) {
        socket.subscribe(id, progressOf(finishedCampaign()));
        assertThat(socket.awaitEnd(id).getString("type")).isEqualTo("complete");
        List<JsonObject> next = socket.messages(id).stream().filter(m -> List.of("next", "data").contains(m.getString("type")))
                .toList();
        assertThat(next).isNotEmpty();
        assertThat(next.get(0).getJsonObject("payload").getJsonObject("data").getJsonObject("campaignProgress")
                .getString("status")).isEqualTo("COMPLETED");
    }

    @Test
    void aTokenInConnectionInitStreamsTheProgressOfARealCampaign() throws Exception {
        String m = marker();
        tag(m);
        for (int i = 0; i < 3; i++) {
            assign(Fixtures.customer(null, null), m);
        }
        String id = create(definition(m, List.of(Map.of("key", "only", "content", content("Hello")))));
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            socket.connect(bearer(Credentials.token(Roles.ANALYST)));
            socket.subscribe("1", progressOf(id));
            act(id, "schedule", "SCHEDULED");
            assertThat(socket.awaitEnd("1").getString("type")).isEqualTo("complete");
            JsonObject last = socket.lastData("1", "campaignProgress");
            assertThat(last.getString("status")).isEqualTo("COMPLETED");
            assertThat(last.getJsonArray("outcomes").getJsonObject(0).getInteger("count")).isEqualTo(3);
        }
    }

    /** Every way a client names its credentials in the payload, header names case-insensitive as over HTTP. */
    @ParameterizedTest
    @ValueSource(strings = { "Authorization: token", "authorization: token", "X-API-Key: key", "x-api-key: key",
            "Authorization: key" })
    void credentialsInConnectionInitAreAcceptedAsOverHttp(String form) throws Exception {
        String name = form.substring(0, form.indexOf(':'));
        boolean token = form.endsWith("token");
        String value = name.equalsIgnoreCase("Authorization")
                ? "Bearer " + (token ? Credentials.token(Roles.ANALYST) : Credentials.adminKey())
                : Credentials.adminKey();
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            socket.connect(new JsonObject().put(name, value));
            receivesFinishedProgress(socket, "p");
        }
    }

    @Test
    void aHeaderOnTheUpgradeStillAuthenticatesNodeClients() throws Exception {
        try (GraphQLSocket socket = GraphQLSocket.open(vertx, endpoint, TRANSPORT_WS,
                Map.of("Authorization", "Bearer " + Credentials.token(Roles.ANALYST)))) {
            socket.connect(null);
            receivesFinishedProgress(socket, "h");
        }
        try (GraphQLSocket socket = GraphQLSocket.open(vertx, endpoint, TRANSPORT_WS, Map.of("X-API-Key", Credentials.adminKey()))) {
            socket.connect(new JsonObject());
            receivesFinishedProgress(socket, "k");
        }
        // credentials given twice: which would count is not for the server to guess
        try (GraphQLSocket socket = GraphQLSocket.open(vertx, endpoint, TRANSPORT_WS, Map.of("X-API-Key", Credentials.adminKey()))) {
            socket.init(new JsonObject().put("X-API-Key", Credentials.adminKey()));
            assertThat(socket.awaitClose()).isEqualTo(4400);
        }
        // a bad header is refused at the upgrade, as any request with bad credentials
        assertThatThrownBy(() -> GraphQLSocket.open(vertx, endpoint, TRANSPORT_WS, Map.of("X-API-Key", "hcrm_nope")))
                .hasRootCauseInstanceOf(UpgradeRejectedException.class)
                .rootCause().satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
    }

    @Test
    void withoutCredentialsTheSocketClosesWith4401AndNothingRuns() throws Exception {
        for (JsonObject payload : new JsonObject[] { null, new JsonObject(), new JsonObject().put("Authorization", "") }) {
            try (GraphQLSocket socket = open(TRANSPORT_WS)) {
                socket.init(payload);
                assertThat(socket.awaitClose()).as("payload %s", payload).isEqualTo(4401);
                assertThat(socket.messages()).isEmpty();
            }
        }
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            socket.subscribe("early", progressOf(finishedCampaign()));
            assertThat(socket.awaitClose()).isEqualTo(4401);
            assertThat(socket.messages()).isEmpty();
        }
        // over HTTP, /graphql still needs credentials
        given().contentType(ContentType.JSON).body(Map.of("query", "{ campaigns { edges { node { id } } } }"))
                .post("/graphql").then().statusCode(401).body(json("type", equalTo("https://headless-crm.dev/problems/unauthorized")));
        given().queryParam("query", "{ campaigns { edges { node { id } } } }").get("/graphql").then().statusCode(401);
    }

    @Test
    void wrongExpiredOrRevokedCredentialsCloseWith4401() throws Exception {
        Json created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "ws", "roles", List.of(Roles.ANALYST)))
                .post("/api/v1/api-keys").then().statusCode(201).extract().as(Json.class);
        String revoked = created.getString("key");
        asAdmin().delete("/api/v1/api-keys/" + created.getString("id")).then().statusCode(204);
        String expired = Credentials.sign(Credentials.claims("expired", Roles.ANALYST)
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(600)));
        String otherAudience = Credentials.sign(Credentials.claims("elsewhere", Roles.ADMIN).audience("another-api"));
        for (JsonObject payload : List.of(new JsonObject().put("X-API-Key", "hcrm_Unknown00000000000000000000000000000000"),
                new JsonObject().put("X-API-Key", "not-a-key"), new JsonObject().put("X-API-Key", revoked),
                bearer(expired), bearer(otherAudience), bearer("garbage"), new JsonObject().put("Authorization", "Basic YTpi"))) {
            try (GraphQLSocket socket = open(TRANSPORT_WS)) {
                socket.init(payload);
                assertThat(socket.awaitClose()).as("payload %s", payload).isEqualTo(4401);
                assertThat(socket.messages()).isEmpty();
            }
        }
    }

    @Test
    void aRoleWithoutCampaignsReadGetsAnErrorNotData() throws Exception {
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            socket.connect(bearer(Credentials.token(Roles.PARTNER)));
            socket.subscribe("f", progressOf(finishedCampaign()));
            socket.awaitEnd("f");
            assertThat(socket.messages("f").toString()).contains("Forbidden: your roles do not allow 'campaigns:read'")
                    .doesNotContain("\"status\"");
        }
    }

    @Test
    void theLegacyGraphqlWsProtocolAuthenticatesTheSameWay() throws Exception {
        try (GraphQLSocket socket = open(LEGACY_WS)) {
            socket.connect(bearer(Credentials.token(Roles.ANALYST)));
            receivesFinishedProgress(socket, "l");
        }
        try (GraphQLSocket socket = open(LEGACY_WS)) {
            socket.init(new JsonObject());
            assertThat(socket.awaitClose()).isEqualTo(4401);
            assertThat(socket.awaitType("connection_error").getJsonObject("payload").getString("message"))
                    .contains("connection_init");
        }
    }

    @Test
    void theSocketClosesWhenItsTokenExpires() throws Exception {
        String shortLived = Credentials.sign(Credentials.claims("brief", Roles.ANALYST).expiresIn(3));
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            socket.connect(bearer(shortLived));
            assertThat(socket.awaitClose()).isEqualTo(1008);
            assertThat(socket.closeReason()).isEqualTo("Authentication expired");
        }
    }

    @Test
    void aSocketThatNeverInitialisesIsClosedWith4408() throws Exception {
        try (GraphQLSocket socket = open(TRANSPORT_WS)) {
            assertThat(socket.awaitClose()).isEqualTo(4408);
        }
    }
}
