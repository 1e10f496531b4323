package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.assign;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Credentials;
import io.headlesscrm.testing.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Campaigns over GraphQL: definitions as JSON, userErrors, runs and reports, and progress streamed over WebSocket. */
@QuarkusTest
class CampaignGraphQLTest {

    @Inject
    Vertx vertx;
    @TestHTTPResource("/graphql")
    URL endpoint;

    private static ValidatableResponse graphql(RequestSpecification as, String query, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return as.contentType(ContentType.JSON).body(body).post("/graphql").then().statusCode(200);
    }

    /** Subscribes to a campaign's progress as a partner, who may not read campaigns; the messages received. */
    private List<JsonObject> subscribeAsPartner(String campaign) throws Exception {
        List<JsonObject> messages = new CopyOnWriteArrayList<>();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(endpoint.getHost())
                .setPort(endpoint.getPort()).setURI("/graphql").addSubProtocol("graphql-transport-ws");
        options.addHeader("Authorization", "Bearer " + Credentials.token("crm-partner"));
        WebSocket socket = vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
        socket.writeTextMessage(new JsonObject().put("type", "connection_init").encode());
        await().atMost(Duration.ofSeconds(10)).until(() -> !messages.isEmpty());
        socket.writeTextMessage(new JsonObject().put("id", "1").put("type", "subscribe").put("payload", new JsonObject()
                .put("query", "subscription { campaignProgress(campaign: \"" + campaign + "\") { status } }")).encode());
        return messages;
    }

    @Test
    void definesRunsAndReportsACampaignAndStreamsItsProgress() throws Exception {
        String m = marker();
        tag(m);
        for (int i = 0; i < 10; i++) {
            assign(Fixtures.customer("+86177" + String.format("%08d", i), null), m);
        }
        Map<String, Object> d = definition(m, List.of(Map.of("key", "only", "content", content("Hello"))));
        graphql(asAdmin(), "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } userErrors { field code } } }",
                Map.of("d", Map.of("name", "no audience")))
                .body("data.createCampaign.campaign", nullValue())
                .body("data.createCampaign.userErrors.code", hasItem("validation-failed"));
        graphql(asUserWith("crm-analyst"), "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } } }",
                Map.of("d", d)).body("errors[0].message", notNullValue());
        String id = graphql(asAdmin(), "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id status"
                + " definition } userErrors { field } } }", Map.of("d", d))
                .body("data.createCampaign.userErrors", empty())
                .body("data.createCampaign.campaign.status", equalTo("DRAFT"))
                .body("data.createCampaign.campaign.definition.audience.include[0].tag", equalTo(m))
                .extract().path("data.createCampaign.campaign.id");
        graphql(asAdmin(), "mutation($id: ID!) { dryRunCampaign(id: $id) { dryRun { audience reached variants { variant"
                + " outcomes { outcome count } } } userErrors { code } } }", Map.of("id", id))
                .body("data.dryRunCampaign.dryRun.audience", equalTo(10))
                .body("data.dryRunCampaign.dryRun.variants[0].outcomes[0].count", equalTo(10));
        graphql(asAdmin(), "mutation($id: ID!) { resumeCampaign(id: $id) { campaign { id } userErrors { code } } }",
                Map.of("id", id)).body("data.resumeCampaign.userErrors[0].code", equalTo("illegal-transition"));

        List<JsonObject> refused = subscribeAsPartner(id);
        await().atMost(Duration.ofSeconds(10)).alias("an error; got " + refused)
                .until(() -> refused.stream().anyMatch(j -> List.of("error", "complete").contains(j.getString("type"))));
        assertThat(refused.toString()).contains("Forbidden: your roles do not allow 'campaigns:read'")
                .doesNotContain("\"status\"");
        List<JsonObject> messages = new CopyOnWriteArrayList<>();
        WebSocket socket = vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost(endpoint.getHost())
                .setPort(endpoint.getPort()).setURI("/graphql").addSubProtocol("graphql-transport-ws")
                .addHeader("X-API-Key", Credentials.adminKey())).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
        socket.writeTextMessage(new JsonObject().put("type", "connection_init").encode());
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().anyMatch(j -> "connection_ack".equals(j.getString("type"))));
        socket.writeTextMessage(new JsonObject().put("id", "1").put("type", "subscribe").put("payload", new JsonObject()
                .put("query", "subscription { campaignProgress(campaign: \"" + id + "\") { status outcomes { outcome count } } }"))
                .encode());

        graphql(asAdmin(), "mutation($id: ID!) { scheduleCampaign(id: $id) { campaign { status } userErrors { code } } }",
                Map.of("id", id)).body("data.scheduleCampaign.campaign.status", equalTo("SCHEDULED"));
        await().atMost(Duration.ofSeconds(30)).alias("the stream ends; got " + messages)
                .until(() -> messages.stream().anyMatch(j -> "complete".equals(j.getString("type"))));
        List<JsonObject> progress = messages.stream().filter(j -> "next".equals(j.getString("type"))).toList();
        assertThat(progress).isNotEmpty();
        JsonObject last = progress.get(progress.size() - 1).getJsonObject("payload").getJsonObject("data")
                .getJsonObject("campaignProgress");
        assertThat(last.getString("status")).isEqualTo("COMPLETED");
        assertThat(last.getJsonArray("outcomes").getJsonObject(0).getInteger("count")).isEqualTo(10);
        socket.close();

        graphql(asAdmin(), "query($id: ID!) { campaign(id: $id) { status runs { edges { node { status outcomes { outcome"
                + " count } } } } report { total { reached conversionRate { value upper } } trend { day } } } }",
                Map.of("id", id))
                .body("data.campaign.status", equalTo("COMPLETED"))
                .body("data.campaign.runs.edges[0].node.outcomes[0].outcome", equalTo("REACHED"))
                .body("data.campaign.report.total.reached", equalTo(10))
                .body("data.campaign.report.trend.size()", equalTo(7));
        graphql(asAdmin(), "query($id: ID!) { node(id: $id) { ... on Campaign { id status } } }", Map.of("id", id))
                .body("data.node.status", equalTo("COMPLETED"));
        graphql(asAdmin(), "query { campaigns(first: 100, status: COMPLETED) { edges { node { id } } } }", Map.of())
                .body("data.campaigns.edges.node.id", hasItem(id));
        graphql(asAdmin(), "mutation($id: ID!) { deleteCampaign(id: $id) { id userErrors { code } } }", Map.of("id", id))
                .body("data.deleteCampaign.id", equalTo(id));
    }
}
