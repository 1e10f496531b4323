package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.create;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.graphql;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** A page of 100 costs one query (plus one COUNT when totalCount is asked for), never one per customer. */
@QuarkusTest
class CustomerQueryCountTest {

    private static String m;

    /** Once per class, but in a @BeforeEach: RestAssured only knows the test port once a test runs. */
    @BeforeEach
    void hundredCustomers() {
        if (m == null) {
            m = marker();
            for (int i = 0; i < 100; i++) {
                create(customer("Counted " + i, "m", m, "i", i));
            }
        }
    }

    @Test
    void aGraphQLPageOf100IsOneQueryPlusTheCount() {
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { totalCount edges { node { id name attributes } } } }",
                    Map.of("f", Map.of("attributes", Map.of("m", m))))
                    .body("data.customers.totalCount", equalTo(100))
                    .body("data.customers.edges", hasSize(100));
            assertThat(sql.count()).isEqualTo(2);
        }
    }

    @Test
    void aGraphQLPageOf100WithTheirTagsIsTwoQueries() {
        String tag = "counted-" + m;
        asAdmin().contentType("application/json").body(Map.of("key", tag, "name", "Counted")).post("/api/v1/tags")
                .then().statusCode(201);
        String first = graphql("query($f: CustomerFilter) { customers(first: 2, filter: $f) { edges { node { id } } } }",
                Map.of("f", Map.of("attributes", Map.of("m", m)))).extract().path("data.customers.edges[0].node.id");
        asAdmin().put("/api/v1/customers/" + first + "/tags/" + tag).then().statusCode(201);
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql("query($f: CustomerFilter) { customers(first: 100, filter: $f) { edges { node { id tags { key name } } } } }",
                    Map.of("f", Map.of("attributes", Map.of("m", m))))
                    .body("errors", nullValue())
                    .body("data.customers.edges", hasSize(100))
                    .body("data.customers.edges[0].node.tags.key", equalTo(List.of(tag)))
                    .body("data.customers.edges[1].node.tags", hasSize(0));
            assertThat(sql.count()).isEqualTo(2);
        }
    }

    @Test
    void aRestPageOf100IsOneQuery() {
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            asAdmin().queryParam("limit", 100).queryParam("attr.m", m).when().get(PATH).then().statusCode(200)
                    .body("items", hasSize(100));
            assertThat(sql.count()).isEqualTo(1);
        }
    }
}
