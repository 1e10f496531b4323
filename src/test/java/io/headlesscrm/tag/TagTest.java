package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TagTest {

    private static final String TAGS = "/api/v1/tags";

    @Test
    void definesReadsChangesAndDeletesATag() {
        String key = key();
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("key", key, "name", "VIP", "category", "value", "color", "#ff8800"))
                .post(TAGS).then().statusCode(201).header("Location", endsWith(TAGS + "/" + key)).header("ETag", "\"0\"")
                .body(json("key", equalTo(key))).body(json("name", equalTo("VIP"))).body(json("color", equalTo("#ff8800")))
                .body(json("customerCount", equalTo(0)));
        asAdmin().get(TAGS + "/" + key).then().statusCode(200).body(json("category", equalTo("value")));
        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body("{\"name\": \"Very important\", \"color\": null}").patch(TAGS + "/" + key).then().statusCode(200)
                .body(json("name", equalTo("Very important"))).body(json("color", nullValue())).body(json("version", equalTo(1)));
        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body("{\"name\": \"Stale\"}").patch(TAGS + "/" + key).then().statusCode(412);
        asAdmin().contentType("application/merge-patch+json").body("{\"key\": \"other\"}")
                .patch(TAGS + "/" + key).then().statusCode(422).body(json("errors.field", hasItem("key")));
        asAdmin().get(TAGS + "?category=value&limit=100").then().statusCode(200).body(json("items.key", hasItem(key)));
        asAdmin().delete(TAGS + "/" + key).then().statusCode(204);
        asAdmin().get(TAGS + "/" + key).then().statusCode(404);
        asAdmin().get("/api/v1/audit-log?entity=tag").then().statusCode(200)
                .body(json("items.changes.name.new", hasItem("VIP")));
    }

    @Test
    void assignsListsAndRemovesTagsOnACustomer() {
        String customer = customer();
        String vip = tag();
        String hotels = tag();
        String path = "/api/v1/customers/" + customer + "/tags/";
        asAdmin().put(path + vip).then().statusCode(201).body(json("key", equalTo(vip))).body(json("source", equalTo("MANUAL")));
        asAdmin().put(path + vip).then().statusCode(200); // idempotent: the same assignment again records nothing
        String later = Instant.now().plusSeconds(3600).toString();
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", later, "source", "IMPORT"))
                .put(path + hotels).then().statusCode(201).body(json("expiresAt", equalTo(later)));
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().statusCode(200)
                .body(json("key", equalTo(List.of(vip, hotels).stream().sorted().toList())))
                .body(json("find { it.key == '" + hotels + "' }.source", equalTo("IMPORT")));
        asAdmin().delete(path + vip).then().statusCode(204);
        asAdmin().delete(path + vip).then().statusCode(404);
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().body(json("key", equalTo(List.of(hotels))));
        asAdmin().get("/api/v1/audit-log?entity=customer-tag&entityId=" + customer + "/" + vip).then()
                .body(json("items.action", equalTo(List.of("delete", "create"))));
    }

    @Test
    void concurrentFirstAssignmentsOfOneTagCreateItOnce() throws Exception {
        String customer = customer();
        String tag = tag();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> call : calls) {
                statuses.add(call.get(30, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(200, 201).filteredOn(status -> status == 201).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
        asAdmin().get("/api/v1/audit-log?entity=customer-tag&entityId=" + customer + "/" + tag).then()
                .body(json("items.action", equalTo(List.of("create"))));
    }

    @Test
    void anExpiredAssignmentIsNeverShown() {
        String customer = customer();
        String tag = tag();
        Instant expiresAt = Instant.now().plusSeconds(1);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", expiresAt.toString()))
                .put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().body(json("key", equalTo(List.of(tag))));
        Waits.past(expiresAt); // the read right after expiry, with the cached set from before, must not show it
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().body(json("$", hasSize(0)));
        // assigning again after expiry is a new assignment
        asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
    }

    @Test
    void aTagInUseIsOnlyDeletedWithForceAndTakesItsAssignments() {
        String customer = customer();
        String tag = tag();
        asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
        asAdmin().get(TAGS + "/" + tag).then().statusCode(200).body(json("customerCount", equalTo(1)));
        asAdmin().get(TAGS + "?limit=100&cursor=").then().statusCode(200);
        asAdmin().delete(TAGS + "/" + tag).then().statusCode(409)
                .body(json("type", equalTo("https://headless-crm.dev/problems/tag-in-use")));
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().body(json("key", equalTo(List.of(tag))));
        asAdmin().delete(TAGS + "/" + tag + "?force=true").then().statusCode(204);
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().body(json("$", hasSize(0)));
    }

    @Test
    void customerListsFilterByAllAnyAndNoneOfASetOfTags() {
        String m = "f" + UUID.randomUUID().toString().substring(0, 8);
        String a = tag(m);
        String b = tag(m);
        String onlyA = customer(m, "OnlyA");
        String both = customer(m, "Both");
        String neither = customer(m, "Neither");
        String expiredB = customer(m, "ExpiredB");
        asAdmin().put("/api/v1/customers/" + onlyA + "/tags/" + a).then().statusCode(201);
        asAdmin().put("/api/v1/customers/" + both + "/tags/" + a).then().statusCode(201);
        asAdmin().put("/api/v1/customers/" + both + "/tags/" + b).then().statusCode(201);
        Instant lapses = Instant.now().plusMillis(600);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", lapses.toString()))
                .put("/api/v1/customers/" + expiredB + "/tags/" + b).then().statusCode(201);
        Waits.past(lapses);

        // counts per tag, in the list as for one tag: expired assignments do not count
        asAdmin().get(TAGS + "?category=" + m).then().statusCode(200)
                .body(json("items.find { it.key == '" + a + "' }.customerCount", equalTo(2)))
                .body(json("items.find { it.key == '" + b + "' }.customerCount", equalTo(1)));
        names(m, "tagsAll=" + a + "," + b).body(json("items.name", equalTo(List.of("Both"))));
        names(m, "tagsAny=" + a + "," + b).body(json("items.name", equalTo(List.of("Both", "OnlyA"))));
        names(m, "tagsNone=" + b).body(json("items.name", equalTo(List.of("ExpiredB", "Neither", "OnlyA"))));
        names(m, "tagsAny=" + a + "&tagsNone=" + b).body(json("items.name", equalTo(List.of("OnlyA"))));
        names(m, "tagsAll=" + a + ",no-such-tag").body(json("items", hasSize(0)));

        asAdmin().contentType(ContentType.JSON).body(Map.of("query",
                "query($f: CustomerFilter) { customers(first: 10, filter: $f, orderBy: NAME) { totalCount edges { node { name tags { key } } } } }",
                "variables", Map.of("f", Map.of("attributes", Map.of("m", m), "tagsAll", List.of(a), "tagsNone", List.of(b)))))
                .post("/graphql").then().statusCode(200).body(json("errors", nullValue()))
                .body(json("data.customers.totalCount", equalTo(1)))
                .body(json("data.customers.edges.node.name", equalTo(List.of("OnlyA"))))
                .body(json("data.customers.edges[0].node.tags.key", equalTo(List.of(a))));
        // none of the set: the customer without tags and the one whose only tag lapsed, by id
        asAdmin().contentType(ContentType.JSON).body(Map.of("query",
                "query($f: CustomerFilter) { customers(first: 10, filter: $f, orderBy: NAME) { edges { node { id } } } }",
                "variables", Map.of("f", Map.of("attributes", Map.of("m", m), "tagsNone", List.of(a, b)))))
                .post("/graphql").then().statusCode(200).body(json("errors", nullValue()))
                .body(json("data.customers.edges.node.id", equalTo(List.of(expiredB, neither))));
    }

    private static io.restassured.response.ValidatableResponse names(String m, String query) {
        return asAdmin().get("/api/v1/customers?sort=name&attr.m=" + m + "&" + query).then().statusCode(200);
    }

    private static String customer(String marker, String name) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", name, "attributes", Map.of("m", marker)))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    @ParameterizedTest
    @ValueSource(strings = { "has space", "UPPER", "-leading-dash", "a/b", "" })
    void badKeysAreRefused(String key) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "x")).post(TAGS).then().statusCode(422)
                .body(json("errors.field", hasItem("key")));
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "k".repeat(65), "name", "x")).post(TAGS).then()
                .statusCode(422);
        String tag = tag();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "again")).post(TAGS).then()
                .statusCode(409).body(json("type", equalTo("https://headless-crm.dev/problems/duplicate-key")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key(), "name", "x", "color", "orange")).post(TAGS)
                .then().statusCode(422).body(json("errors.field", hasItem("color")));
        String customer = customer();
        asAdmin().put("/api/v1/customers/" + customer + "/tags/no-such-tag").then().statusCode(422)
                .body(json("type", equalTo("https://headless-crm.dev/problems/unknown-tag")));
        asAdmin().put("/api/v1/customers/00000000-0000-7000-8000-000000000000/tags/" + tag).then().statusCode(404);
        asAdmin().get("/api/v1/customers/00000000-0000-7000-8000-000000000000/tags").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", "2020-01-01T00:00:00Z"))
                .put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(422)
                .body(json("errors.field", hasItem("expiresAt")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("source", "GUESS"))
                .put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(400)
                .body(json("detail", containsString("source")));
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().statusCode(200).body(json("$", hasSize(0)));
    }

    private static String key() {
        return "t-" + UUID.randomUUID();
    }

    private static String tag() {
        return tag("general");
    }

    private static String tag(String category) {
        String key = key();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Tag " + key, "category", category))
                .post(TAGS).then().statusCode(201);
        return key;
    }

    private static String customer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Tagged")).post("/api/v1/customers").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }
}
