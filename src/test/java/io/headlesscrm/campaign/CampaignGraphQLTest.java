package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.assign;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Credentials;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.GraphQLSocket;
import io.headlesscrm.testing.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
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
                .body(json("data.createCampaign.campaign", nullValue()))
                .body(json("data.createCampaign.userErrors.code", hasItem("validation-failed")));
        graphql(asUserWith("crm-analyst"), "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } } }",
                Map.of("d", d)).body(json("errors[0].message", notNullValue()));
        String id = graphql(asAdmin(), "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id status"
                + " definition } userErrors { field } } }", Map.of("d", d))
                .body(json("data.createCampaign.userErrors", empty()))
                .body(json("data.createCampaign.campaign.status", equalTo("DRAFT")))
                .body(json("data.createCampaign.campaign.definition.audience.include[0].tag", equalTo(m)))
                .extract().as(Json.class).get("data.createCampaign.campaign.id");
        graphql(asAdmin(), "mutation($id: ID!) { dryRunCampaign(id: $id) { dryRun { audience reached variants { variant"
                + " outcomes { outcome count } } } userErrors { code } } }", Map.of("id", id))
                .body(json("data.dryRunCampaign.dryRun.audience", equalTo(10)))
                .body(json("data.dryRunCampaign.dryRun.variants[0].outcomes[0].count", equalTo(10)));
        graphql(asAdmin(), "mutation($id: ID!) { resumeCampaign(id: $id) { campaign { id } userErrors { code } } }",
                Map.of("id", id)).body(json("data.resumeCampaign.userErrors[0].code", equalTo("illegal-transition")));

        try (GraphQLSocket refused = GraphQLSocket.open(vertx, endpoint, GraphQLSocket.TRANSPORT_WS,
                Map.of("Authorization", "Bearer " + Credentials.token("crm-partner")))) {
            refused.connect(null).subscribe("1", "subscription { campaignProgress(campaign: \"" + id + "\") { status } }");
            refused.awaitEnd("1");
            assertThat(refused.messages().toString()).contains("Forbidden: your roles do not allow 'campaigns:read'")
                    .doesNotContain("\"status\"");
        }
        GraphQLSocket socket = GraphQLSocket.open(vertx, endpoint, GraphQLSocket.TRANSPORT_WS,
                Map.of("X-API-Key", Credentials.adminKey())).connect(null);
        socket.subscribe("1", "subscription { campaignProgress(campaign: \"" + id + "\") { status outcomes { outcome count } } }");

        graphql(asAdmin(), "mutation($id: ID!) { scheduleCampaign(id: $id) { campaign { status } userErrors { code } } }",
                Map.of("id", id)).body(json("data.scheduleCampaign.campaign.status", equalTo("SCHEDULED")));
        assertThat(socket.awaitEnd("1").getString("type")).isEqualTo("complete");
        JsonObject last = socket.lastData("1", "campaignProgress");
        assertThat(last.getString("status")).isEqualTo("COMPLETED");
        assertThat(last.getJsonArray("outcomes").getJsonObject(0).getInteger("count")).isEqualTo(10);
        socket.close();

        graphql(asAdmin(), "query($id: ID!) { campaign(id: $id) { status runs { edges { node { status outcomes { outcome"
                + " count } } } } report { total { reached conversionRate { value upper } } trend { day } } } }",
                Map.of("id", id))
                .body(json("data.campaign.status", equalTo("COMPLETED")))
                .body(json("data.campaign.runs.edges[0].node.outcomes[0].outcome", equalTo("REACHED")))
                .body(json("data.campaign.report.total.reached", equalTo(10)))
                .body(json("data.campaign.report.trend.size()", equalTo(7)));
        graphql(asAdmin(), "query($id: ID!) { node(id: $id) { ... on Campaign { id status } } }", Map.of("id", id))
                .body(json("data.node.status", equalTo("COMPLETED")));
        graphql(asAdmin(), "query { campaigns(first: 100, status: COMPLETED) { edges { node { id } } } }", Map.of())
                .body(json("data.campaigns.edges.node.id", hasItem(id)));
        graphql(asAdmin(), "mutation($id: ID!) { deleteCampaign(id: $id) { id userErrors { code } } }", Map.of("id", id))
                .body(json("data.deleteCampaign.id", equalTo(id)));
    }

    @Test
    void anUnknownOrInvalidCampaignEndsItsProgressSubscriptionWithAnErrorNamingIt() throws Exception {
        String unknown = UUID.randomUUID().toString();
        try (GraphQLSocket socket = GraphQLSocket.open(vertx, endpoint, GraphQLSocket.TRANSPORT_WS,
                Map.of("X-API-Key", Credentials.adminKey())).connect(null)) {
            socket.subscribe("u", "subscription { campaignProgress(campaign: \"" + unknown + "\") { status } }");
            socket.subscribe("i", "subscription { campaignProgress(campaign: \"nope\") { status } }");
            assertThat(socket.awaitEnd("u").getString("type")).isEqualTo("complete");
            assertThat(socket.awaitEnd("i").getString("type")).isEqualTo("complete");
            assertOnlyError(socket.messages("u").get(0), "Campaign " + unknown + " does not exist", "not-found");
            assertOnlyError(socket.messages("i").get(0), "'campaign' must be an id", "invalid-id");
            socket.send(new JsonObject().put("type", "ping")).awaitType("pong"); // the connection stays open
        }
    }

    /** A {@code next} that carries one error and no progress: its message says {@code what}, its code is {@code code}. */
    private static void assertOnlyError(JsonObject message, String what, String code) {
        assertThat(message.getString("type")).as("%s", message).isEqualTo("next");
        JsonObject payload = message.getJsonObject("payload");
        assertThat(payload.getJsonObject("data").getValue("campaignProgress")).as("%s", message).isNull();
        assertThat(payload.getJsonArray("errors")).as("%s", message).hasSize(1);
        JsonObject error = payload.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).as("%s", message).contains(what);
        assertThat(error.getJsonObject("extensions").getString("code")).as("%s", message).isEqualTo(code);
    }
}
