package io.headlesscrm.segment;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Segments over GraphQL: definitions with JSON conditions, userErrors, counts, and Customer.segments batched. */
@QuarkusTest
class SegmentGraphQLTest {

    @Test
    void definesReadsAndListsSegmentsAndACustomersBuckets() {
        String marker = "g" + UUID.randomUUID().toString().substring(0, 8);
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Graph " + marker, "type", "ENTERPRISE"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        String id = graphql("mutation($c: JSON!, $k: String!) { createAudience(input: {key: $k, name: \"G\", condition: $c})"
                + " { segment { id kind condition buckets { key condition } } userErrors { code } } }",
                Map.of("k", marker, "c", Map.of("attr", "name", "op", "eq", "value", "Graph " + marker)))
                .body(json("data.createAudience.userErrors", empty()))
                .body(json("data.createAudience.segment.kind", equalTo("AUDIENCE")))
                .body(json("data.createAudience.segment.condition.value", equalTo("Graph " + marker)))
                .extract().as(Json.class).get("data.createAudience.segment.id");
        graphql("mutation($c: JSON!) { createAudience(input: {key: \"bad key\", name: \"G\", condition: $c})"
                + " { segment { id } userErrors { field code } } }", Map.of("c", Map.of("segment", "nope")))
                .body(json("data.createAudience.segment", nullValue()))
                .body(json("data.createAudience.userErrors.code", hasItem("validation-failed")));
        graphql("mutation { createDimension(input: {key: \"" + marker + "-d\", name: \"D\", buckets: [{key: \"only\", name: \"Only\"}]})"
                + " { segment { id } userErrors { field } } }", Map.of())
                .body(json("data.createDimension.userErrors[0].field", equalTo(List.of("input", "buckets"))));

        Waits.eventually().until(() -> graphql("query($id: ID!) { node(id: $id) { ... on Customer { segments { key } } } }",
                Map.of("id", customer)).extract().as(Json.class).<List<String>>get("data.node.segments.key").contains(marker));
        graphql("query($id: ID!) { node(id: $id) { ... on Customer { segments { key kind bucket bucketName enteredAt } } } }",
                Map.of("id", customer))
                .body(json("data.node.segments.key", hasItems("lifecycle", "value", "customer-type", marker)))
                .body(json("data.node.segments.find { it.key == 'customer-type' }.bucket", equalTo("enterprise")))
                .body(json("data.node.segments.find { it.key == '" + marker + "' }.bucket", nullValue()));
        graphql("query($id: ID!) { segment(id: $id) { key counts { buckets { bucket points { day members } } } } }",
                Map.of("id", id)).body(json("data.segment.counts.buckets[0].points[-1].members", equalTo(1)));
        graphql("{ segments(kind: DIMENSION, first: 100) { edges { node { key buckets { key } } } pageInfo { hasNextPage } } }",
                Map.of()).body(json("data.segments.edges.node.key", hasItems("lifecycle", "value", "customer-type")));
        graphql("mutation($id: ID!) { updateSegment(id: $id, input: {name: \"G2\"}, expectedVersion: 0) { segment { name version } userErrors { code } } }",
                Map.of("id", id)).body(json("data.updateSegment.segment.version", equalTo(1)));
        graphql("query($k: String!) { customers(filter: {segment: $k}) { totalCount } }", Map.of("k", marker))
                .body(json("data.customers.totalCount", equalTo(1)));
        graphql("mutation($id: ID!) { deleteSegment(id: $id) { id userErrors { code } } }", Map.of("id", id))
                .body(json("data.deleteSegment.id", notNullValue()));
        graphql("query($id: ID!) { segment(id: $id) { id } }", Map.of("id", id)).body(json("data.segment", nullValue()));
    }

    private static ValidatableResponse graphql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return asAdmin().contentType(ContentType.JSON).body(body).post("/graphql").then().statusCode(200);
    }
}
