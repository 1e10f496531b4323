package io.headlesscrm.event;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class EventIngestTest {

    static final String EVENTS = "/api/v1/events";

    @Inject
    Pool pool;

    static String customer(String externalId) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Eve"));
        if (externalId != null) {
            body.put("externalId", externalId);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    static Map<String, Object> event(String ref, Object who, String type, Instant at) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", "e-" + UUID.randomUUID());
        e.put("type", type);
        e.put(ref, who);
        e.put("occurredAt", at.toString());
        return e;
    }

    static ValidatableResponse send(List<?> items) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post(EVENTS).then();
    }

    @Test
    void storesABatchWithItemsAndContextAndMovesLastActiveAt() {
        String ext = "ev-" + UUID.randomUUID();
        String id = customer(ext);
        Instant at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> order = event("externalId", ext, "order", at);
        order.put("properties", Map.of("amount", 2500, "category", "hotel"));
        order.put("items", List.of(Map.of("sku", "H-1", "category", "hotel", "price", 2500, "quantity", 1)));
        order.put("context", Map.of("channel", "app", "device", "iPhone", "ip", "203.0.113.9", "userAgent", "x"));
        send(List.of(event("customerId", id, "view", at.minusSeconds(60)), order)).statusCode(200)
                .body(json("accepted", equalTo(2))).body(json("rejected", equalTo(0))).body(json("duplicates", equalTo(0)))
                .body(json("items.index", contains(0, 1))).body(json("items[1].id", notNullValue()));
        asAdmin().get("/api/v1/customers/" + id).then().body(json("lastActiveAt", equalTo(at.toString())));
        asAdmin().get("/api/v1/customers/" + id + "/events").then().statusCode(200).body(json("items", hasSize(2)))
                .body(json("items[0].type", equalTo("order"))).body(json("items[0].properties.category", equalTo("hotel")))
                .body(json("items[0].items[0].sku", equalTo("H-1"))).body(json("items[0].context.channel", equalTo("app")))
                .body(json("items[1].type", equalTo("view")));
        // an older event never moves lastActiveAt back
        send(List.of(event("customerId", id, "view", at.minus(3, ChronoUnit.DAYS)))).statusCode(200);
        asAdmin().get("/api/v1/customers/" + id).then().body(json("lastActiveAt", equalTo(at.toString())));
    }

    @Test
    void oneBadItemNeverLosesTheGoodOnes() {
        String id = customer(null);
        Instant now = Instant.now();
        List<Object> items = new ArrayList<>();
        items.add(event("customerId", id, "view", now.minusSeconds(5)));                        // 0 ok
        items.add(event("customerId", UUID.randomUUID().toString(), "view", now));               // 1 unknown customer
        items.add(event("externalId", "nobody-" + UUID.randomUUID(), "view", now));              // 2 unknown external id
        items.add(event("customerId", id, "view", now.plus(3, ChronoUnit.DAYS)));               // 3 far future
        items.add(event("customerId", id, "view", now.minus(500, ChronoUnit.DAYS)));            // 4 before retention
        Map<String, Object> big = event("customerId", id, "view", now);
        big.put("properties", Map.of("blob", "x".repeat(20_000)));
        items.add(big);                                                                           // 5 oversized
        Map<String, Object> two = event("customerId", id, "view", now);
        two.put("anonymousId", "anon-1");
        items.add(two);                                                                           // 6 two references
        Map<String, Object> shape = event("customerId", id, "view", now);
        shape.put("occurredAt", "yesterday");
        items.add(shape);                                                                         // 7 bad time
        items.add("not an object");                                                               // 8
        Map<String, Object> nul = event("customerId", id, "view", now);
        nul.put("properties", Map.of("note", "a\u0000b"));
        items.add(nul);                                                                           // 9 NUL
        Map<String, Object> noType = event("customerId", id, "view", now);
        noType.remove("type");
        items.add(noType);                                                                        // 10 missing type
        items.add(event("customerId", id, "order", now.minusSeconds(1)));                       // 11 ok
        send(items).statusCode(200).body(json("accepted", equalTo(2))).body(json("rejected", equalTo(10)))
                .body(json("items.index", contains(0, 11)))
                .body(json("errors.index", contains(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
                .body(json("errors[0].errors[0].field", equalTo("customerId")))
                .body(json("errors[1].errors[0].field", equalTo("externalId")))
                .body(json("errors[2].errors[0].field", equalTo("occurredAt")))
                .body(json("errors[3].errors[0].field", equalTo("occurredAt")))
                .body(json("errors[4].errors[0].field", equalTo("properties")))
                .body(json("errors[6].errors[0].field", equalTo("occurredAt")))
                .body(json("errors[8].errors[0].field", equalTo("properties.note")))
                .body(json("errors[9].errors[0].field", equalTo("type")));
        assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1", UUID.fromString(id))).isEqualTo(2);
    }

    @Test
    void aReplayIsStoredOnceAlsoWhenTwoBatchesRaceAndWithinOneBatch() {
        String id = customer(null);
        Instant at = Instant.now().minusSeconds(30);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(event("customerId", id, "view", at.plusMillis(i)));
        }
        var first = CompletableFuture.supplyAsync(() -> send(batch).statusCode(200).extract().as(Json.class).get("accepted"));
        var second = CompletableFuture.supplyAsync(() -> send(batch).statusCode(200).extract().as(Json.class).get("accepted"));
        assertThat((Integer) first.join() + (Integer) second.join()).isEqualTo(50);
        String firstId = send(List.of(batch.get(0), batch.get(0))).statusCode(200).body(json("duplicates", equalTo(2)))
                .extract().as(Json.class).get("items[0].id");
        assertThat(firstId).isNotNull();
        assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1", UUID.fromString(id))).isEqualTo(50);
        assertThat(count("SELECT count(DISTINCT id) FROM event WHERE customer_id = $1", UUID.fromString(id))).isEqualTo(50);
    }

    @Test
    void aBatchMustHoldOneToAThousandEvents() {
        String id = customer(null);
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i <= EventBatch.MAX_ITEMS; i++) {
            tooMany.add(event("customerId", id, "view", Instant.now()));
        }
        send(tooMany).statusCode(422).contentType("application/problem+json").body(json("errors[0].field", equalTo("items")));
        send(List.of()).statusCode(422);
        asAdmin().contentType(ContentType.JSON).body("{}").post(EVENTS).then().statusCode(422);
        assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1", UUID.fromString(id))).isZero();
    }

    @Test
    void partnersWriteEventsAndAnalystsOnlyRead() {
        String id = customer(null);
        asUserWith(Roles.PARTNER).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(event("customerId", id, "view", Instant.now())))).post(EVENTS).then()
                .statusCode(200).body(json("accepted", equalTo(1)));
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(event("customerId", id, "view", Instant.now())))).post(EVENTS).then()
                .statusCode(403);
        asUserWith(Roles.ANALYST).get("/api/v1/customers/" + id + "/events").then().statusCode(200)
                .body(json("items", hasSize(1)));
        asUserWith(Roles.PARTNER).get("/api/v1/customers/" + id + "/events").then().statusCode(403);
    }

    @Test
    void anonymousEventsAreKeptApart() {
        String anonymous = "anon-" + UUID.randomUUID();
        send(List.of(event("anonymousId", anonymous, "view", Instant.now()))).statusCode(200).body(json("accepted", equalTo(1)));
        assertThat(count("SELECT count(*) FROM anonymous_event WHERE anonymous_id = $1", anonymous)).isEqualTo(1);
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
