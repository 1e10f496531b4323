package io.headlesscrm.touchpoint;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Touchpoints as Relay connections: the filtered list, and each customer's own, paged to the end. */
@QuarkusTest
class TouchpointGraphQLTest {

    private static final String LIST = "query($f: TouchpointFilter, $a: String) { touchpoints(first: 2, after: $a, filter: $f)"
            + " { edges { cursor node { id customerId status } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    private static final String OF_CUSTOMER = "query($id: ID!, $a: String) { node(id: $id) { ... on Customer {"
            + " touchpoints(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }";

    private static ValidatableResponse graphql(String query, Map<String, Object> variables) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("query", query, "variables", variables))
                .post("/graphql").then().statusCode(200);
    }

    private static String customer(String name) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", name, "email", "t@example.com"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private static String touchpoint(String customerId, String channel) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customerId, "channel", channel,
                "content", Map.of("body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** Newest first: the REST list's order. */
    private static List<String> restOrder(String customerId) {
        return asAdmin().queryParam("customerId", customerId).queryParam("limit", 100).get("/api/v1/touchpoints").then()
                .statusCode(200).extract().as(Json.class).getList("items.id", String.class);
    }

    @Test
    void theFilteredListPagesToTheEndInTheRestListsOrder() {
        String c = customer("Paged");
        for (int i = 0; i < 5; i++) {
            touchpoint(c, i % 2 == 0 ? "EMAIL" : "SMS");
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            Map<String, Object> vars = new HashMap<>();
            vars.put("f", Map.of("customerId", c));
            vars.put("a", after);
            Json page = graphql(LIST, vars).body(json("errors", nullValue())).extract().as(Json.class);
            assertThat(page.getBoolean("data.touchpoints.pageInfo.hasPreviousPage")).isEqualTo(after != null);
            seen.addAll(page.getList("data.touchpoints.edges.node.id", String.class));
            assertThat(page.getString("data.touchpoints.pageInfo.endCursor"))
                    .isEqualTo(page.getString("data.touchpoints.edges[-1].cursor"));
            more = page.getBoolean("data.touchpoints.pageInfo.hasNextPage");
            after = page.getString("data.touchpoints.pageInfo.endCursor");
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(restOrder(c));
        graphql(LIST, Map.of("f", Map.of("customerId", c, "channel", "SMS"))).body(json("data.touchpoints.edges", hasSize(2)))
                .body(json("data.touchpoints.edges.node.customerId", equalTo(List.of(c, c))));
    }

    @Test
    void badFiltersAndCursorsAreErrorsNotServerFailures() {
        graphql(LIST, Map.of("f", Map.of("customerId", "nope"))).body(json("data.touchpoints", nullValue()))
                .body(json("errors[0].message", containsString("'filter.customerId' must be an id")));
        graphql(LIST, Map.of("a", "bm90IGEgY3Vyc29y")).body(json("data.touchpoints", nullValue()))
                .body(json("errors[0].message", containsString("cursor")));
    }

    @Test
    void eachCustomersTouchpointsAreAConnectionPagedToTheEnd() {
        String a = customer("Has three");
        String b = customer("Has one");
        for (int i = 0; i < 3; i++) {
            touchpoint(a, "EMAIL");
        }
        String onlyB = touchpoint(b, "EMAIL");
        graphql("query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { touchpoints(first: 2) { edges { node { id"
                + " customerId } } pageInfo { hasNextPage } } } } }", Map.of("ids", List.of(a, b)))
                .body(json("errors", nullValue()))
                .body(json("data.nodes[0].touchpoints.edges.node.customerId", equalTo(List.of(a, a))))
                .body(json("data.nodes[0].touchpoints.pageInfo.hasNextPage", equalTo(true)))
                .body(json("data.nodes[1].touchpoints.edges.node.id", equalTo(List.of(onlyB))))
                .body(json("data.nodes[1].touchpoints.pageInfo.hasNextPage", equalTo(false)));

        List<String> seen = new ArrayList<>();
        Map<String, Object> vars = new HashMap<>();
        vars.put("id", a);
        boolean more = true;
        while (more) {
            Json page = graphql(OF_CUSTOMER, vars).body(json("errors", nullValue())).extract().as(Json.class);
            seen.addAll(page.getList("data.node.touchpoints.edges.node.id", String.class));
            more = page.getBoolean("data.node.touchpoints.pageInfo.hasNextPage");
            vars.put("a", page.getString("data.node.touchpoints.pageInfo.endCursor"));
        }
        assertThat(seen).isEqualTo(restOrder(a)).hasSize(3);
    }

    @Test
    void touchpointListsNeedTheTouchpointReadPermission() {
        String c = customer("Guarded");
        touchpoint(c, "EMAIL");
        // every role that reads customers also reads touchpoints today; an unknown role reads neither
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("query",
                "query($id: ID!) { customer(id: $id) { touchpoints { edges { node { id } } } } }", "variables", Map.of("id", c)))
                .post("/graphql").then().statusCode(200).body(json("errors", nullValue()))
                .body(json("data.customer.touchpoints.edges", hasSize(1)));
        asUserWith(Roles.PARTNER).contentType(ContentType.JSON).body(Map.of("query", "{ touchpoints { edges { node { id } } } }"))
                .post("/graphql").then().statusCode(200).body(json("data.touchpoints", nullValue()))
                .body(json("errors[0].message", equalTo("Forbidden: your roles do not allow 'touchpoints:read'")));
    }
}
