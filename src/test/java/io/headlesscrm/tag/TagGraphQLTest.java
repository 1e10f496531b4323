package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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

/** Tag operations over GraphQL: the same rules as REST, domain errors as userErrors. */
@QuarkusTest
class TagGraphQLTest {

    @Test
    void definesAssignsReadsRemovesAndDeletesATag() {
        String key = "g-" + UUID.randomUUID();
        graphql("mutation($k: String!) { createTag(input: {key: $k, name: \"Gold\", color: \"#ffd700\"}) { tag { key name customerCount } userErrors { code } } }",
                Map.of("k", key))
                .body(json("data.createTag.userErrors", empty())).body(json("data.createTag.tag.name", equalTo("Gold")));
        graphql("mutation($k: String!) { updateTag(key: $k, input: {name: \"Golden\"}, expectedVersion: 0) { tag { name color version } userErrors { code } } }",
                Map.of("k", key))
                .body(json("data.updateTag.tag.name", equalTo("Golden"))).body(json("data.updateTag.tag.color", equalTo("#ffd700")));
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Graph tagged"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        graphql("mutation($c: ID!, $k: String!) { assignTag(customerId: $c, key: $k, source: IMPORT) { customerTag { key source } userErrors { code } } }",
                Map.of("c", customer, "k", key))
                .body(json("data.assignTag.customerTag.source", equalTo("IMPORT")));
        graphql("query($c: ID!, $k: String!) { customer(id: $c) { tags { key name } } tag(key: $k) { customerCount } }",
                Map.of("c", customer, "k", key))
                .body(json("data.customer.tags.name", equalTo(List.of("Golden")))).body(json("data.tag.customerCount", equalTo(1)));
        graphql("mutation($k: String!) { deleteTag(key: $k) { key userErrors { code } } }", Map.of("k", key))
                .body(json("data.deleteTag.key", nullValue())).body(json("data.deleteTag.userErrors[0].code", equalTo("tag-in-use")));
        graphql("mutation($c: ID!, $k: String!) { removeTag(customerId: $c, key: $k) { key userErrors { code } } }",
                Map.of("c", customer, "k", key)).body(json("data.removeTag.key", equalTo(key)));
        graphql("mutation($k: String!) { deleteTag(key: $k) { key userErrors { code } } }", Map.of("k", key))
                .body(json("data.deleteTag.key", equalTo(key)));
        graphql("query($k: String!) { tag(key: $k) { key } }", Map.of("k", key)).body(json("data.tag", nullValue()));
    }

    @Test
    void changesTagsOnManyCustomersByIdsOrByAFilterJob() {
        String key = "g-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Bulk")).post("/api/v1/tags").then()
                .statusCode(201);
        String marker = UUID.randomUUID().toString();
        List<String> customers = List.of(customer(marker), customer(marker));
        graphql("mutation($ids: [ID], $k: String!) { changeTags(input: {operation: ASSIGN, tags: [$k], customerIds: $ids}) { result { customers changed unchanged } job { id } userErrors { code } } }",
                Map.of("ids", customers, "k", key))
                .body(json("data.changeTags.result.changed", equalTo(2))).body(json("data.changeTags.job", nullValue()))
                .body(json("data.changeTags.userErrors", empty()));
        graphql("mutation($ids: [ID], $k: String!) { changeTags(input: {operation: ASSIGN, tags: [$k, \"no-such-tag\"], customerIds: $ids}) { result { changed } userErrors { field code } } }",
                Map.of("ids", List.of(customers.get(0), "not-an-id"), "k", key))
                .body(json("data.changeTags.result", nullValue())).body(json("data.changeTags.userErrors[0].code", equalTo("invalid-id")))
                .body(json("data.changeTags.userErrors[0].field", equalTo(List.of("input", "customerIds[1]"))));
        graphql("mutation($ids: [ID], $k: String!) { changeTags(input: {operation: REMOVE, tags: [$k, \"no-such-tag\"], customerIds: $ids}) { result { changed } userErrors { field code } } }",
                Map.of("ids", customers, "k", key))
                .body(json("data.changeTags.result", nullValue())).body(json("data.changeTags.userErrors[0].code", equalTo("invalid-items")));

        String job = graphql("mutation($m: JSON, $k: String!) { changeTags(input: {operation: REMOVE, tags: [$k], filter: {attributes: $m}}) { job { id status } userErrors { code } } }",
                Map.of("m", Map.of("batch", marker), "k", key))
                .body(json("data.changeTags.job.status", equalTo("QUEUED"))).extract().as(Json.class).get("data.changeTags.job.id");
        Waits.eventually().until(() -> !List.of("QUEUED", "RUNNING").contains(graphql(
                "query($id: ID!) { tagJob(id: $id) { status } }", Map.of("id", job)).extract().as(Json.class).get("data.tagJob.status")));
        graphql("query($id: ID!) { tagJob(id: $id) { status total processed changed tags } }", Map.of("id", job))
                .body(json("data.tagJob.status", equalTo("SUCCEEDED"))).body(json("data.tagJob.changed", equalTo(2)))
                .body(json("data.tagJob.tags", equalTo(List.of(key))));
        graphql("query { tagJob(id: \"nope\") { id } }", Map.of()).body(json("data.tagJob", nullValue()));
    }

    private static String customer(String marker) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Bulk graph", "attributes", Map.of("batch", marker)))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    @Test
    void badInputIsUserErrorsAndWritesNothing() {
        graphql("mutation { createTag(input: {key: \"has space\", name: \"x\"}) { tag { key } userErrors { field code } } }", Map.of())
                .body(json("data.createTag.tag", nullValue()))
                .body(json("data.createTag.userErrors.field", hasItem(List.of("input", "key"))))
                .body(json("data.createTag.userErrors.code", hasItem("validation-failed")));
        graphql("mutation { assignTag(customerId: \"00000000-0000-7000-8000-000000000000\", key: \"no-such-tag\") { customerTag { key } userErrors { code } } }", Map.of())
                .body(json("data.assignTag.userErrors[0].code", equalTo("unknown-tag")));
        graphql("{ tags(first: 500) { edges { node { key } } } }", Map.of()).body(json("errors[0].message", equalTo("'first' must be between 1 and 100")));
    }

    @Test
    void pagesTagsInKeyOrder() {
        String category = "page-" + UUID.randomUUID();
        for (String k : List.of("c", "a", "b")) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("key", category + "-" + k, "name", k, "category", category))
                    .post("/api/v1/tags").then().statusCode(201);
        }
        String after = graphql("query($c: String) { tags(first: 2, category: $c) { edges { node { name } } pageInfo { hasNextPage endCursor } } }",
                Map.of("c", category))
                .body(json("data.tags.edges.node.name", equalTo(List.of("a", "b"))))
                .body(json("data.tags.pageInfo.hasNextPage", equalTo(true))).extract().as(Json.class).get("data.tags.pageInfo.endCursor");
        graphql("query($c: String, $a: String) { tags(first: 2, category: $c, after: $a) { edges { node { name } } pageInfo { hasNextPage } } }",
                Map.of("c", category, "a", after))
                .body(json("data.tags.edges.node.name", equalTo(List.of("c")))).body(json("data.tags.pageInfo.hasNextPage", equalTo(false)));
    }

    private static ValidatableResponse graphql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return asAdmin().contentType(ContentType.JSON).body(body).post("/graphql").then().statusCode(200);
    }
}
