package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Relay refetching: node(id:) and nodes(ids:) for every type with an id, with each type's read permission. */
@QuarkusTest
class NodeGraphQLTest {

    // the two status fields differ in type and nullability, so a client aliases them apart
    private static final String FIELDS = "__typename id ... on Customer { name email } ... on Tag { key customerCount }"
            + " ... on Touchpoint { channel history { status } } ... on TagJob { jobStatus: status tags }"
            + " ... on Segment { key kind buckets { key } }";
    private static final String NODE = "query($id: ID!) { node(id: $id) { " + FIELDS + " } }";
    private static final String NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { " + FIELDS + " } }";

    private static ValidatableResponse graphql(RequestSpecification as, String query, Map<String, Object> variables) {
        return as.contentType(ContentType.JSON).body(Map.of("query", query, "variables", variables)).post("/graphql")
                .then().statusCode(200);
    }

    private static String customer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Node Ada", "email", "ada@example.com"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private static String tag() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("key", "node-" + UUID.randomUUID(), "name", "Node"))
                .post("/api/v1/tags").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private static String touchpoint(String customerId) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customerId, "channel", "EMAIL",
                "content", Map.of("body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** A background job over a filter that matches no one. */
    private static String tagJob() {
        String key = asAdmin().contentType(ContentType.JSON).body(Map.of("key", "job-" + UUID.randomUUID(), "name", "J"))
                .post("/api/v1/tags").then().statusCode(201).extract().as(Json.class).get("key");
        return asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(key),
                "filter", Map.of("externalId", "nobody-" + UUID.randomUUID()))).post("/api/v1/tag-assignments")
                .then().statusCode(202).extract().as(Json.class).get("id");
    }

    @Test
    void refetchesEveryTypeById() {
        String c = customer();
        String t = tag();
        String tp = touchpoint(c);
        String job = tagJob();
        graphql(asAdmin(), NODE, Map.of("id", c)).body(json("errors", nullValue()))
                .body(json("data.node.__typename", equalTo("Customer"))).body(json("data.node.id", equalTo(c)))
                .body(json("data.node.name", equalTo("Node Ada"))).body(json("data.node.email", equalTo("ada@example.com")));
        graphql(asAdmin(), NODE, Map.of("id", t)).body(json("errors", nullValue()))
                .body(json("data.node.__typename", equalTo("Tag"))).body(json("data.node.customerCount", equalTo(0)));
        graphql(asAdmin(), NODE, Map.of("id", tp)).body(json("errors", nullValue()))
                .body(json("data.node.__typename", equalTo("Touchpoint"))).body(json("data.node.channel", equalTo("EMAIL")))
                .body(json("data.node.history.status", contains("QUEUED")));
        graphql(asAdmin(), NODE, Map.of("id", job)).body(json("errors", nullValue()))
                .body(json("data.node.__typename", equalTo("TagJob"))).body(json("data.node.id", equalTo(job)));
        String segment = asAdmin().get("/api/v1/segments?kind=DIMENSION&limit=100").then().statusCode(200)
                .extract().as(Json.class).get("items.find { it.key == 'lifecycle' }.id");
        graphql(asAdmin(), NODE, Map.of("id", segment)).body(json("errors", nullValue()))
                .body(json("data.node.__typename", equalTo("Segment"))).body(json("data.node.key", equalTo("lifecycle")))
                .body(json("data.node.kind", equalTo("DIMENSION"))).body(json("data.node.buckets.key", contains("new", "active", "churned", "silent")));
    }

    @Test
    void nodesAnswersInTheOrderAskedWithNullForUnknownIds() {
        String c = customer();
        String tp = touchpoint(c);
        String t = tag();
        String unknown = "00000000-0000-7000-8000-000000000000";
        graphql(asAdmin(), NODES, Map.of("ids", List.of(tp, unknown, c, t, c))).body(json("errors", nullValue()))
                .body(json("data.nodes", hasSize(5)))
                .body(json("data.nodes[0].__typename", equalTo("Touchpoint"))).body(json("data.nodes[0].id", equalTo(tp)))
                .body(json("data.nodes[1]", nullValue()))
                .body(json("data.nodes[2].__typename", equalTo("Customer"))).body(json("data.nodes[2].id", equalTo(c)))
                .body(json("data.nodes[3].__typename", equalTo("Tag"))).body(json("data.nodes[3].id", equalTo(t)))
                .body(json("data.nodes[4].id", equalTo(c)));
    }

    @Test
    void anUnknownIdIsNullWithoutError() {
        graphql(asAdmin(), NODE, Map.of("id", UUID.randomUUID().toString())).body(json("errors", nullValue()))
                .body(json("data.node", nullValue()));
    }

    @Test
    void aMalformedIdIsTheInvalidIdError() {
        graphql(asAdmin(), NODE, Map.of("id", "nope")).body(json("data.node", nullValue()))
                .body(json("errors[0].message", containsString("'id' must be an id this API issued")));
        graphql(asAdmin(), NODES, Map.of("ids", List.of(customer(), "1-1-1-1-1"))).body(json("data.nodes", nullValue()))
                .body(json("errors[0].message", containsString("'ids[1]' must be an id this API issued")));
    }

    @Test
    void moreThan100IdsAreRefused() {
        List<String> ids = java.util.Collections.nCopies(101, UUID.randomUUID().toString());
        graphql(asAdmin(), NODES, Map.of("ids", ids)).body(json("data.nodes", nullValue()))
                .body(json("errors[0].message", containsString("at most 100")));
    }

    @Test
    void aTypeTheCallerMayNotReadIsRefusedAsItsOwnQueryWould() {
        String c = customer();
        String tp = touchpoint(c);
        String job = tagJob();
        // partners create customers and report on touchpoints, but read neither
        graphql(asUserWith(Roles.PARTNER), NODE, Map.of("id", c)).body(json("data.node", nullValue()))
                .body(json("errors[0].message", equalTo("Forbidden: your roles do not allow 'customers:read'")));
        graphql(asUserWith(Roles.PARTNER), NODE, Map.of("id", tp)).body(json("data.node", nullValue()))
                .body(json("errors[0].message", equalTo("Forbidden: your roles do not allow 'touchpoints:read'")));
        // analysts read customers (contact details masked) and touchpoints, not tag jobs
        graphql(asUserWith(Roles.ANALYST), NODE, Map.of("id", job)).body(json("data.node", nullValue()))
                .body(json("errors[0].message", equalTo("Forbidden: your roles do not allow 'customers:tag'")));
        graphql(asUserWith(Roles.ANALYST), NODES, Map.of("ids", List.of(c, job, tp)))
                .body(json("data.nodes", hasSize(3))).body(json("data.nodes[0].__typename", equalTo("Customer")))
                .body(json("data.nodes[1]", nullValue())).body(json("data.nodes[2].__typename", equalTo("Touchpoint")))
                .body(json("data.nodes[0].email", equalTo("a***@example.com")))
                .body(json("errors[0].message", equalTo("Forbidden: your roles do not allow 'customers:tag'")));
        Map<String, Object> vars = new HashMap<>();
        vars.put("id", job);
        graphql(asUserWith(Roles.SALES), NODE, vars).body(json("errors", nullValue())).body(json("data.node.id", equalTo(job)));
    }
}
