package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.create;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.graphql;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CustomerGraphQLTest {

    private static final String FIELDS = "id externalId type name email phone attributes version createdAt";
    private static final String CREATE = "mutation($input: CustomerInput!, $key: String) { createCustomer(input: $input, idempotencyKey: $key) { customer { "
            + FIELDS + " } userErrors { field message code } } }";
    private static final String UPDATE = "mutation($id: ID!, $input: CustomerPatchInput!, $v: BigInteger) { updateCustomer(id: $id, input: $input, expectedVersion: $v) { customer { "
            + FIELDS + " } userErrors { field message code } } }";
    private static final String PAGE = "query($first: Int, $after: String, $filter: CustomerFilter, $order: CustomerOrder) { customers(first: $first, after: $after, filter: $filter, orderBy: $order) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }";

    @Test
    void readsACustomerById() {
        String id = create(Map.of("name", "Graph Ada", "email", "g@example.com", "attributes", Map.of("tier", "gold")));
        graphql("query($id: ID!) { customer(id: $id) { " + FIELDS + " } }", Map.of("id", id))
                .body(json("errors", nullValue()))
                .body(json("data.customer.id", equalTo(id)))
                .body(json("data.customer.name", equalTo("Graph Ada")))
                .body(json("data.customer.type", equalTo("INDIVIDUAL")))
                .body(json("data.customer.attributes.tier", equalTo("gold")));
    }

    @Test
    void anUnknownCustomerIsNullAndAMalformedIdIsAnError() {
        graphql("{ customer(id: \"00000000-0000-7000-8000-000000000000\") { id } }", Map.of())
                .body(json("errors", nullValue())).body(json("data.customer", nullValue()));
        graphql("{ customer(id: \"nope\") { id } }", Map.of())
                .body(json("errors[0].message", containsString("'id' must be an id this API issued")));
    }

    @Test
    void createsUpdatesAndDeletes() {
        String ext = marker();
        Map<String, Object> input = Map.of("externalId", ext, "name", "Created", "type", "ENTERPRISE",
                "attributes", Map.of("tier", "gold", "n", 3));
        Json created = graphql(CREATE, Map.of("input", input)).body(json("errors", nullValue()))
                .body(json("data.createCustomer.userErrors", empty()))
                .body(json("data.createCustomer.customer.type", equalTo("ENTERPRISE")))
                .body(json("data.createCustomer.customer.attributes.n", equalTo(3)))
                .extract().as(Json.class);
        String id = created.getString("data.createCustomer.customer.id");

        Map<String, Object> patch = new HashMap<>();
        patch.put("name", "Updated");
        patch.put("attributes", Map.of("extra", true));
        graphql(UPDATE, Map.of("id", id, "input", patch, "v", 0))
                .body(json("data.updateCustomer.userErrors", empty()))
                .body(json("data.updateCustomer.customer.name", equalTo("Updated")))
                .body(json("data.updateCustomer.customer.externalId", equalTo(ext)))
                .body(json("data.updateCustomer.customer.attributes.tier", equalTo("gold")))
                .body(json("data.updateCustomer.customer.attributes.extra", equalTo(true)))
                .body(json("data.updateCustomer.customer.version", equalTo(1)));

        graphql(UPDATE, Map.of("id", id, "input", Map.of("name", "Stale"), "v", 0))
                .body(json("data.updateCustomer.customer", nullValue()))
                .body(json("data.updateCustomer.userErrors[0].code", equalTo("version-mismatch")));

        graphql("mutation($id: ID!) { deleteCustomer(id: $id) { deletedId userErrors { code } } }", Map.of("id", id))
                .body(json("data.deleteCustomer.deletedId", equalTo(id)))
                .body(json("data.deleteCustomer.userErrors", empty()));
        graphql("mutation($id: ID!) { deleteCustomer(id: $id) { deletedId userErrors { code } } }", Map.of("id", id))
                .body(json("data.deleteCustomer.deletedId", nullValue()))
                .body(json("data.deleteCustomer.userErrors[0].code", equalTo("not-found")));
    }

    @Test
    void domainErrorsAreUserErrorsAndWriteNothing() {
        String ext = marker();
        graphql(CREATE, Map.of("input", Map.of("externalId", ext, "name", "x", "email", "broken", "phone", "12")))
                .body(json("errors", nullValue()))
                .body(json("data.createCustomer.customer", nullValue()))
                .body(json("data.createCustomer.userErrors.field", hasItem(List.of("input", "email"))))
                .body(json("data.createCustomer.userErrors.field", hasItem(List.of("input", "phone"))))
                .body(json("data.createCustomer.userErrors.code", hasItem("validation-failed")));

        create(Map.of("name", "Owner", "externalId", ext));
        graphql(CREATE, Map.of("input", Map.of("externalId", ext, "name", "Dup")))
                .body(json("data.createCustomer.userErrors[0].code", equalTo("duplicate-external-id")))
                .body(json("data.createCustomer.userErrors[0].field", equalTo(List.of("input", "externalId"))));
        graphql(PAGE, Map.of("filter", Map.of("externalId", ext)))
                .body(json("data.customers.edges.node.name", contains("Owner")));
    }

    @Test
    void idempotencyKeyReplaysTheFirstCreate() {
        String key = marker();
        Map<String, Object> vars = Map.of("input", Map.of("name", "Once", "attributes", Map.of("m", key)), "key", key);
        String first = graphql(CREATE, vars).extract().as(Json.class).get("data.createCustomer.customer.id");
        String again = graphql(CREATE, vars).extract().as(Json.class).get("data.createCustomer.customer.id");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void invalidArgumentsAreGraphQLErrorsWithoutStackTraces() {
        graphql("{ customers(first: 1, orderBy: HEIGHT) { totalCount } }", Map.of())
                .body(json("errors", notNullValue())).body(json("data", nullValue()))
                .body(json("errors[0].extensions", not(org.hamcrest.Matchers.hasKey("stackTrace"))));
        graphql(CREATE, Map.of("input", Map.of("name", "x", "type", "ROBOT")))
                .body(json("errors[0].message", containsString("ROBOT")));
        graphql(PAGE, Map.of("first", 1000))
                .body(json("errors[0].message", containsString("'first' must be between 1 and 100")));
        graphql(PAGE, Map.of("after", "garbage"))
                .body(json("errors[0].message", containsString("cursor")));
        graphql("{ customers { edges { node { id } } } " + "}", Map.of()).body(json("errors", nullValue()));
        // introspection is exempt from the depth limit (common/graphql/QueryLimits, whose test refuses deep data)
        String deepIntrospection = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType {"
                + " ofType { name } } } } } } } } } } }";
        graphql(deepIntrospection, Map.of()).body(json("errors", nullValue()));
    }

    @Test
    void theTotalCountIsExactUpToTheLimitAndALowerBoundThatSaysSoPastIt() {
        String m = marker(); // the test profile counts exactly up to 100 (CRM_PAGE_EXACT_COUNT_LIMIT)
        String query = "query($f: CustomerFilter) { customers(first: 1, filter: $f) { totalCount totalCountExact } }";
        for (int i = 0; i < 100; i++) {
            create(customer("Many " + i, "m", m));
        }
        graphql(query, Map.of("f", Map.of("attributes", Map.of("m", m)))).body(json("errors", nullValue()))
                .body(json("data.customers.totalCount", equalTo(100))).body(json("data.customers.totalCountExact", equalTo(true)));
        create(customer("Many 100", "m", m));
        graphql(query, Map.of("f", Map.of("attributes", Map.of("m", m)))).body(json("errors", nullValue()))
                .body(json("data.customers.totalCount", equalTo(101))).body(json("data.customers.totalCountExact", equalTo(false)));
        create(customer("Many 101", "m", m));
        graphql(query, Map.of("f", Map.of("attributes", Map.of("m", m))))
                .body(json("data.customers.totalCount", equalTo(101))).body(json("data.customers.totalCountExact", equalTo(false)));
    }

    @Test
    void pagesAConnectionWithFilterOrderAndTotalCount() {
        String m = marker();
        for (String name : new String[] { "Delta", "Alpha", "Echo", "Bravo", "Charlie" }) {
            create(customer(name, "m", m));
        }
        Map<String, Object> filter = Map.of("attributes", Map.of("m", m));
        List<String> names = new ArrayList<>();
        String after = null;
        boolean hasNext = true;
        while (hasNext) {
            Map<String, Object> vars = new HashMap<>(Map.of("first", 2, "filter", filter, "order", "NAME"));
            vars.put("after", after);
            Json page = graphql(PAGE, vars).body(json("errors", nullValue()))
                    .body(json("data.customers.totalCount", equalTo(5)))
                    .body(json("data.customers.pageInfo.hasPreviousPage", equalTo(after != null)))
                    .extract().as(Json.class);
            names.addAll(page.getList("data.customers.edges.node.name"));
            hasNext = page.getBoolean("data.customers.pageInfo.hasNextPage");
            after = page.getString("data.customers.pageInfo.endCursor");
        }
        assertThat(names).containsExactly("Alpha", "Bravo", "Charlie", "Delta", "Echo");
    }
}
