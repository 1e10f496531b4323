package io.headlesscrm.segment;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Saved segments against the real database: memberships follow customer, tag and event writes through the upkeep,
 * dimensions hold every customer exactly once, changes are recorded and sent, bad definitions are refused.
 */
@QuarkusTest
class SegmentTest {

    @Inject
    Pool pool;

    private static String customer(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    private static ValidatableResponse audience(String key, Object condition) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", key, "condition", condition))
                .post("/api/v1/segments").then();
    }

    private static Map<String, Object> event(String customerId, String type) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", "e-" + UUID.randomUUID());
        e.put("type", type);
        e.put("customerId", customerId);
        e.put("occurredAt", Instant.now().minusSeconds(5).toString());
        return e;
    }

    /** Waits until the upkeep has caught up with every write so far. */
    private void settled() {
        UpkeepWaits.caughtUp(pool);
    }

    private List<String> members(String segmentId, String bucket) {
        var request = asAdmin().queryParam("limit", 100);
        if (bucket != null) {
            request.queryParam("bucket", bucket);
        }
        return request.get("/api/v1/segments/" + segmentId + "/members").then().statusCode(200).extract().as(Json.class).get("items.id");
    }

    /** The customer list once answered an empty page for a segment or bucket key that names none. */
    @Test
    void anUnknownSegmentOrBucketInACustomerFilterIsThe422TheMemberListGives() {
        String message = asAdmin().queryParam("bucket", "zz").get("/api/v1/segments/" + key("lifecycle") + "/members")
                .then().statusCode(422).body(json("errors[0].field", equalTo("bucket"))).extract().as(Json.class).get("errors[0].message");
        assertThat(message).startsWith("must be one of [").contains("active");
        asAdmin().queryParam("segment", "lifecycle").queryParam("bucket", "zz").get("/api/v1/customers").then()
                .statusCode(422).contentType("application/problem+json").body(json("errors[0].field", equalTo("bucket")))
                .body(json("errors[0].message", equalTo(message)));
        asAdmin().queryParam("segment", "no-such-segment").get("/api/v1/customers").then().statusCode(422)
                .body(json("errors[0].field", equalTo("segment")))
                .body(json("errors[0].message", equalTo("no segment has the key 'no-such-segment'")));
        asAdmin().queryParam("segment", "lifecycle").queryParam("bucket", "active").get("/api/v1/customers").then()
                .statusCode(200);
        graphql("{ customers(filter: {segment: \"lifecycle\", bucket: \"zz\"}) { edges { cursor } } }")
                .body(json("errors[0].message", equalTo("filter.bucket: " + message)));
        graphql("{ customers(filter: {segment: \"no-such-segment\"}) { edges { cursor } } }")
                .body(json("errors[0].message", equalTo("filter.segment: no segment has the key 'no-such-segment'")));
    }

    private static ValidatableResponse graphql(String query) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("query", query)).post("/graphql").then()
                .statusCode(200);
    }

    @Test
    void anAudienceFollowsAttributeTagAndEventWritesAndRecordsEveryChange() {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        String type = "seg.order." + marker;
        String tag = "seg-" + marker;
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "Hotels")).post("/api/v1/tags").then()
                .statusCode(201);
        String endpoint = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hooks", "eventTypes", List.of("segment.*")))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
        String a = customer(Map.of("name", "Seg A", "attributes", Map.of("city", marker)));
        String b = customer(Map.of("name", "Seg B", "attributes", Map.of("city", marker)));
        customer(Map.of("name", "Seg C", "attributes", Map.of("city", "elsewhere")));
        Map<String, Object> condition = Map.of("and", List.of(
                Map.of("attr", "name", "op", "contains", "value", "Seg "),
                Map.of("tags", Map.of("all", List.of(tag))),
                Map.of("event", Map.of("type", type, "within", "P1D", "op", "gte", "value", 1))));
        String id = audience("hotel-" + marker, condition).statusCode(201).body(json("refreshing", equalTo(true)))
                .body(json("timeRelative", equalTo(true))).body(json("buckets", hasSize(1))).extract().as(Json.class).get("id");
        settled();
        assertThat(members(id, null)).isEmpty();

        asAdmin().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/customers/" + a + "/tags/" + tag).then()
                .statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/customers/" + b + "/tags/" + tag).then()
                .statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(event(a, type)))).post("/api/v1/events")
                .then().statusCode(200).body(json("accepted", equalTo(1)));
        settled();
        assertThat(members(id, null)).containsExactly(a);
        asAdmin().queryParam("segment", "hotel-" + marker).get("/api/v1/customers").then().statusCode(200)
                .body(json("items.id", equalTo(List.of(a))));

        asAdmin().delete("/api/v1/customers/" + a + "/tags/" + tag).then().statusCode(204);
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(event(b, type)))).post("/api/v1/events")
                .then().statusCode(200);
        settled();
        assertThat(members(id, null)).containsExactly(b);

        var changes = pool.preparedQuery("SELECT customer_id::text, from_bucket IS NULL, to_bucket IS NULL, cause"
                + " FROM segment_change WHERE segment_id = $1 ORDER BY at").execute(Tuple.of(UUID.fromString(id)))
                .await().indefinitely();
        List<String> history = new ArrayList<>();
        changes.forEach(r -> history.add((r.getString(0).equals(a) ? "a" : "b") + (r.getBoolean(1) ? " entered" : " exited")
                + " by " + r.getString(3)));
        // a's exit and b's entry happened in one step: same time, either order
        assertThat(history).hasSize(3).startsWith("a entered by customer")
                .containsExactlyInAnyOrder("a entered by customer", "a exited by customer", "b entered by customer");
        var sent = pool.preparedQuery("SELECT event_type, body FROM webhook_message WHERE endpoint_id = $1 ORDER BY created_at")
                .execute(Tuple.of(UUID.fromString(endpoint))).await().indefinitely();
        List<String> types = new ArrayList<>();
        sent.forEach(r -> {
            if (r.getString(1).contains(id)) {
                types.add(r.getString(0));
            }
        });
        assertThat(types).containsExactlyInAnyOrder("segment.entered", "segment.exited", "segment.entered");
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }

    @Test
    void everyCustomerIsInExactlyOneBucketOfEveryDimensionAlsoAfterConcurrentWrites() throws Exception {
        String marker = "d" + UUID.randomUUID().toString().substring(0, 8);
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("key", "tier-" + marker, "name", "Tier",
                "buckets", List.of(
                        Map.of("key", "gold", "name", "Gold", "condition", Map.of("attr", "name", "op", "contains", "value", "gold")),
                        Map.of("key", "silver", "name", "Silver", "condition", Map.of("attr", "name", "op", "contains", "value", "silver")),
                        Map.of("key", "rest", "name", "Rest"))))
                .post("/api/v1/dimensions").then().statusCode(201).body(json("kind", equalTo("DIMENSION"))).extract().as(Json.class).get("id");
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String name = (i % 3 == 0 ? "gold " : i % 3 == 1 ? "silver " : "plain ") + marker + " " + i;
            writes.add(CompletableFuture.supplyAsync(() -> customer(Map.of("name", name))));
        }
        List<String> ids = writes.stream().map(CompletableFuture::join).toList();
        List<CompletableFuture<Void>> renames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String who = ids.get(i * 3 + 2);
            renames.add(CompletableFuture.runAsync(() -> asAdmin().contentType("application/merge-patch+json")
                    .body(Map.of("name", "gold now " + marker)).patch("/api/v1/customers/" + who).then().statusCode(200)));
        }
        renames.forEach(CompletableFuture::join);
        settled();
        long customers = scalar("SELECT count(*) FROM customer");
        for (String dimension : List.of(id, key("lifecycle"), key("value"), key("customer-type"))) {
            assertThat(scalar("SELECT count(*) FROM segment_member WHERE segment_id = '" + dimension + "'"))
                    .as("members of %s", dimension).isEqualTo(customers);
            List<Integer> perBucket = asAdmin().get("/api/v1/segments/" + dimension + "/counts").then().statusCode(200)
                    .extract().as(Json.class).get("buckets.points.flatten().members");
            assertThat(perBucket.stream().mapToLong(Integer::longValue).sum()).isEqualTo(customers);
        }
        for (var expected : Map.of("gold", 16, "silver", 8, "rest", 0).entrySet()) {
            asAdmin().queryParam("segment", "tier-" + marker).queryParam("bucket", expected.getKey())
                    .queryParam("q", marker).queryParam("limit", 100).get("/api/v1/customers").then().statusCode(200)
                    .body(json("items", hasSize(expected.getValue())));
        }
        assertThat(members(id, "gold")).containsAll(ids.subList(0, 1));
    }

    @Test
    void badDefinitionsAre4xxWithThePointerOfTheNodeAndWriteNothing() {
        String marker = "b" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "nocatch-" + marker, "name", "x", "buckets", List.of(
                Map.of("key", "a", "name", "A", "condition", Map.of("attr", "name", "op", "eq", "value", "a")),
                Map.of("key", "b", "name", "B", "condition", Map.of("attr", "name", "op", "eq", "value", "b")))))
                .post("/api/v1/dimensions").then().statusCode(422)
                .body(json("errors.field", hasItem("buckets[1].condition")));
        audience("unknown-" + marker, Map.of("or", List.of(Map.of("segment", "no-such-" + marker)))).statusCode(422)
                .body(json("errors[0].pointer", equalTo("/or/0/segment")));
        audience("bucketless-" + marker, Map.of("segment", "lifecycle")).statusCode(422)
                .body(json("errors[0].pointer", equalTo("/bucket")));
        String first = audience("first-" + marker, Map.of("attr", "name", "op", "eq", "value", marker)).statusCode(201)
                .extract().as(Json.class).get("id");
        String second = audience("second-" + marker, Map.of("and", List.of(Map.of("segment", "first-" + marker),
                Map.of("segment", "lifecycle", "bucket", "active")))).statusCode(201).extract().as(Json.class).get("id");
        assertThat(scalar("SELECT cardinality(depends_on) FROM segment WHERE id = '" + second + "'")).isEqualTo(2);
        asAdmin().contentType("application/merge-patch+json")
                .body(Map.of("condition", Map.of("not", Map.of("segment", "second-" + marker))))
                .patch("/api/v1/segments/" + first).then().statusCode(422)
                .body(json("errors[0].pointer", equalTo("/not/segment"))).body(json("errors[0].field", equalTo("condition")));
        asAdmin().get("/api/v1/segments/" + first).then().body(json("version", equalTo(0)));
        asAdmin().delete("/api/v1/segments/" + first).then().statusCode(409)
                .body(json("type", equalTo("https://headless-crm.dev/problems/segment-in-use")));
        asAdmin().delete("/api/v1/segments/" + key("lifecycle")).then().statusCode(409);
        audience("first-" + marker, Map.of("attr", "name", "op", "eq", "value", "x")).statusCode(409);
        asAdmin().delete("/api/v1/segments/" + second).then().statusCode(204);
        asAdmin().delete("/api/v1/segments/" + first).then().statusCode(204);
        asAdmin().get("/api/v1/segments/" + first).then().statusCode(404);
    }

    @Test
    void aChangedDefinitionIsRecomputedAndItsChangesCarryTheCause() {
        String marker = "c" + UUID.randomUUID().toString().substring(0, 8);
        String x = customer(Map.of("name", "Change " + marker));
        String id = audience("change-" + marker, Map.of("attr", "name", "op", "eq", "value", "nobody " + marker))
                .statusCode(201).extract().as(Json.class).get("id");
        settled();
        assertThat(members(id, null)).isEmpty();
        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("condition", Map.of("attr", "name", "op", "eq", "value", "Change " + marker)))
                .patch("/api/v1/segments/" + id).then().statusCode(200).body(json("version", equalTo(1)));
        settled();
        assertThat(members(id, null)).containsExactly(x);
        assertThat(scalar("SELECT count(*) FROM segment_change WHERE segment_id = '" + id + "' AND cause = 'definition'"))
                .isEqualTo(1);
        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("name", "late"))
                .patch("/api/v1/segments/" + id).then().statusCode(412);
        // each change starts a recompute; changing again while the upkeep writes its members must wait, not deadlock
        for (int i = 0; i < 10; i++) {
            asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "again " + i, "condition",
                    Map.of("attr", "name", "op", i % 2 == 0 ? "ne" : "eq", "value", "Change " + marker)))
                    .patch("/api/v1/segments/" + id).then().statusCode(200).body(json("version", equalTo(2 + i)));
        }
    }

    @Test
    void aConditionThatMovesWithTimeIsRefreshedWithoutAnyWrite() {
        String marker = "t" + UUID.randomUUID().toString().substring(0, 8);
        Instant registeredAt = Instant.now().minusSeconds(1);
        Duration window = Duration.ofSeconds(4);
        String x = customer(Map.of("name", "Time " + marker, "registeredAt", registeredAt.toString()));
        String id = audience("recent-" + marker, Map.of("and", List.of(Map.of("attr", "name", "op", "eq", "value",
                "Time " + marker), Map.of("attr", "registeredAt", "op", "within", "value", window.toString()))))
                .statusCode(201).body(json("timeRelative", equalTo(true))).extract().as(Json.class).get("id");
        settled();
        assertThat(members(id, null)).containsExactly(x);
        // nothing is written meanwhile: only the scheduled refresh can see the window move on (segments are timed by
        // PostgreSQL's clock, which a test cannot move: this waits the real time until x has left the window)
        Waits.past(registeredAt.plus(window));
        pool.preparedQuery("UPDATE segment SET refreshed_at = now() - interval '2 hours' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely(); // as if its hour had passed
        Waits.eventually().untilAsserted(() -> assertThat(members(id, null)).isEmpty());
        assertThat(scalar("SELECT count(*) FROM segment_change WHERE segment_id = '" + id + "' AND cause = 'time'"
                + " AND to_bucket IS NULL")).isEqualTo(1);
    }

    private String key(String key) {
        return pool.preparedQuery("SELECT id::text FROM segment WHERE key = $1").execute(Tuple.of(key)).await()
                .indefinitely().iterator().next().getString(0);
    }

    @Test
    void aCustomerReevaluatedAfterARecomputeStagedItsDifferenceIsNotOverwrittenByIt() {
        String marker = "s" + UUID.randomUUID().toString().substring(0, 8);
        String a = customer(Map.of("name", "Stale " + marker));
        String b = customer(Map.of("name", "Other " + marker));
        String id = audience("stale-" + marker, Map.of("attr", "name", "op", "eq", "value", "Stale " + marker))
                .statusCode(201).extract().as(Json.class).get("id");
        settled();
        assertThat(members(id, null)).containsExactly(a);

        // with the upkeep held off: a recompute whose one pass saw b match, then b changes (b is marked)
        var upkeep = pool.getConnection().await().indefinitely();
        try {
            upkeep.query("SELECT pg_advisory_lock(" + SegmentUpkeep.LOCK + ")").execute().await().indefinitely();
            pool.preparedQuery("INSERT INTO segment_pending (customer_id, segment_id, to_bucket) SELECT $1, $2, id"
                    + " FROM segment_bucket WHERE segment_id = $2").execute(Tuple.of(UUID.fromString(b), UUID.fromString(id)))
                    .await().indefinitely();
            pool.preparedQuery("UPDATE segment SET refresh_cause = 'definition', refresh_staged = true WHERE id = $1")
                    .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
            asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "Moved " + marker))
                    .patch("/api/v1/customers/" + b).then().statusCode(200);
        } finally {
            upkeep.query("SELECT pg_advisory_unlock(" + SegmentUpkeep.LOCK + ")").execute().await().indefinitely();
            upkeep.close().await().indefinitely();
        }
        settled();

        // b's own re-evaluation came first and superseded the staged row: the recompute did not put b in
        assertThat(members(id, null)).containsExactly(a);
        assertThat(scalar("SELECT count(*) FROM segment_change WHERE segment_id = '" + id + "' AND customer_id = '" + b + "'"))
                .isZero();
        assertThat(scalar("SELECT count(*) FROM segment_pending WHERE segment_id = '" + id + "'")).isZero();
    }

    private long scalar(String sql) {
        return pool.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }
}
