package io.headlesscrm.event;

import static io.headlesscrm.event.EventIngestTest.customer;
import static io.headlesscrm.event.EventIngestTest.event;
import static io.headlesscrm.event.EventIngestTest.send;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class EventGraphQLTest {

    private static final String QUERY = "query($ids: [ID!]!, $after: String) { nodes(ids: $ids) { ... on Customer { id"
            + " events(first: 2, after: $after, types: [\"order\", \"view\"]) { edges { cursor node { type eventId"
            + " properties items context occurredAt } } pageInfo { hasNextPage endCursor } } } } }";

    @Test
    void customersEventsComePagedPerCustomerInOneQuery() {
        String a = customer(null);
        String b = customer(null);
        Instant now = Instant.now().minusSeconds(60);
        Map<String, Object> order = event("customerId", a, "order", now);
        order.put("properties", Map.of("amount", 12));
        order.put("items", List.of(Map.of("sku", "S-1")));
        send(List.of(event("customerId", a, "view", now.minusSeconds(3)), event("customerId", a, "pay",
                now.minusSeconds(2)), event("customerId", a, "view", now.minusSeconds(1)), order)).statusCode(200);

        String end = asAdmin().contentType(ContentType.JSON).body(Map.of("query", QUERY, "variables",
                Map.of("ids", List.of(a, b)))).post("/graphql").then().statusCode(200)
                .body(json("errors", org.hamcrest.Matchers.nullValue()))
                .body(json("data.nodes[0].events.edges.node.type", contains("order", "view")))
                .body(json("data.nodes[0].events.edges[0].node.properties.amount", equalTo(12)))
                .body(json("data.nodes[0].events.edges[0].node.items[0].sku", equalTo("S-1")))
                .body(json("data.nodes[0].events.pageInfo.hasNextPage", equalTo(true)))
                .body(json("data.nodes[1].events.edges", hasSize(0)))
                .extract().as(Json.class).get("data.nodes[0].events.pageInfo.endCursor");
        asAdmin().contentType(ContentType.JSON).body(Map.of("query", QUERY, "variables", Map.of("ids", List.of(a),
                "after", end))).post("/graphql").then().statusCode(200)
                .body(json("data.nodes[0].events.edges.node.type", contains("view")))
                .body(json("data.nodes[0].events.pageInfo.hasNextPage", equalTo(false)));
    }

    @Test
    void partnersCannotReadEventsThroughGraphQL() {
        String a = customer(null);
        asUserWith(Roles.PARTNER).contentType(ContentType.JSON).body(Map.of("query", QUERY, "variables",
                Map.of("ids", List.of(a)))).post("/graphql").then().statusCode(200)
                .body(json("errors[0].message", org.hamcrest.Matchers.notNullValue()));
    }
}
