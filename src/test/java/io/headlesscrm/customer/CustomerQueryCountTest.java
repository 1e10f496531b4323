package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.create;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.graphql;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.segment.UpkeepWaits;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** A page of 100 costs one query (plus one COUNT when totalCount is asked for), never one per customer. */
@QuarkusTest
class CustomerQueryCountTest {

    private static String m;

    /** Once per class, but in a @BeforeEach: RestAssured only knows the test port once a test runs. */
    @Inject
    Pool pool;

    @BeforeEach
    void hundredCustomers() {
        if (m == null) {
            m = marker();
            for (int i = 0; i < 100; i++) {
                create(customer("Counted " + i, "m", m, "i", i));
            }
        }
        upkeepCaughtUp();
    }

    /** Segment upkeep re-evaluates the customers just written; counting starts once it has nothing left to do. */
    private void upkeepCaughtUp() {
        UpkeepWaits.caughtUp(pool);
    }

    @Test
    void aGraphQLPageOf100IsOneQueryPlusTheCount() {
        upkeepCaughtUp();
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { totalCount edges { node { id name attributes } } } }",
                    Map.of("f", Map.of("attributes", Map.of("m", m))))
                    .body(json("data.customers.totalCount", equalTo(100)))
                    .body(json("data.customers.edges", hasSize(100)));
            assertThat(sql.count()).as("%s", sql.statements()).isEqualTo(2);
        }
    }

    @Test
    void aGraphQLPageOf100WithTheirTagsIsTwoQueries() {
        String tag = "counted-" + m;
        asAdmin().contentType("application/json").body(Map.of("key", tag, "name", "Counted")).post("/api/v1/tags")
                .then().statusCode(201);
        String first = graphql("query($f: CustomerFilter) { customers(first: 2, filter: $f) { edges { node { id } } } }",
                Map.of("f", Map.of("attributes", Map.of("m", m)))).extract().as(Json.class).get("data.customers.edges[0].node.id");
        asAdmin().put("/api/v1/customers/" + first + "/tags/" + tag).then().statusCode(201);
        upkeepCaughtUp();
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { edges { node { id tags { key name } } } } }",
                    Map.of("f", Map.of("attributes", Map.of("m", m))))
                    .body(json("errors", nullValue()))
                    .body(json("data.customers.edges", hasSize(100)))
                    .body(json("data.customers.edges[0].node.tags.key", equalTo(List.of(tag))))
                    .body(json("data.customers.edges[1].node.tags", hasSize(0)));
            assertThat(sql.count()).as("%s", sql.statements()).isEqualTo(2);
        }
    }

    @Test
    void aGraphQLPageOf100WithTheirTouchpointsIsTwoQueries() {
        String first = graphql("query($f: CustomerFilter) { customers(first: 2, filter: $f) { edges { node { id } } } }",
                Map.of("f", Map.of("attributes", Map.of("m", m)))).extract().as(Json.class).get("data.customers.edges[0].node.id");
        for (int i = 0; i < 3; i++) {
            asAdmin().contentType("application/json").body(Map.of("customerId", first, "channel", "EMAIL", "content",
                    Map.of("body", "Hi " + i))).post("/api/v1/touchpoints").then().statusCode(201);
        }
        upkeepCaughtUp();
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { edges { node { id"
                    + " touchpoints(first: 2) { edges { node { id status } } pageInfo { hasNextPage } } } } } }",
                    Map.of("f", Map.of("attributes", Map.of("m", m))))
                    .body(json("errors", nullValue()))
                    .body(json("data.customers.edges", hasSize(100)))
                    .body(json("data.customers.edges[0].node.touchpoints.edges", hasSize(2)))
                    .body(json("data.customers.edges[0].node.touchpoints.pageInfo.hasNextPage", equalTo(true)))
                    .body(json("data.customers.edges[1].node.touchpoints.edges", hasSize(0)));
            // the page, then every customer's first touchpoints in one LATERAL join
            assertThat(sql.count()).as("%s", sql.statements()).isEqualTo(2);
        }
    }

    @Test
    void refetching100CustomersWithNodesIsOneQuery() {
        List<String> ids = graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { edges { node { id } } } }",
                Map.of("f", Map.of("attributes", Map.of("m", m)))).extract().as(Json.class).getList("data.customers.edges.node.id");
        upkeepCaughtUp();
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { name } } }", Map.of("ids", ids))
                    .body(json("errors", nullValue()))
                    .body(json("data.nodes.id", equalTo(ids)));
            // every id is a customer: the customer loader finds them all, no other type is asked
            assertThat(sql.count()).as("%s", sql.statements()).isEqualTo(1);
        }
    }

    @Test
    void aRestPageOf100IsOneQuery() {
        upkeepCaughtUp();
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            asAdmin().queryParam("limit", 100).queryParam("attr.m", m).when().get(PATH).then().statusCode(200)
                    .body(json("items", hasSize(100)));
            assertThat(sql.count()).as("%s", sql.statements()).isEqualTo(1);
        }
    }
}
