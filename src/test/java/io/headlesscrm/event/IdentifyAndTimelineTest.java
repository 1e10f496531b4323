package io.headlesscrm.event;

import static io.headlesscrm.event.EventIngestTest.customer;
import static io.headlesscrm.event.EventIngestTest.event;
import static io.headlesscrm.event.EventIngestTest.send;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class IdentifyAndTimelineTest {

    @Inject
    Pool pool;

    static ValidatableResponse identify(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/identify").then();
    }

    @Test
    void identifyMovesAnonymousEventsAndLaterOnesGoToTheCustomer() {
        String ext = "id-" + UUID.randomUUID();
        String id = customer(ext);
        String anonymous = "anon-" + UUID.randomUUID();
        Instant at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        send(List.of(event("anonymousId", anonymous, "view", at), event("anonymousId", anonymous, "add_to_cart",
                at.plusSeconds(10)))).statusCode(200).body(json("accepted", equalTo(2)));

        identify(Map.of("anonymousId", anonymous, "externalId", ext, "attributes", Map.of("city", "Beijing")))
                .statusCode(200).body(json("customerId", equalTo(id))).body(json("eventsMoved", equalTo(2)))
                .body(json("alreadyLinked", equalTo(false)));
        assertThat(count("SELECT count(*) FROM anonymous_event WHERE anonymous_id = $1", anonymous)).isZero();
        asAdmin().get("/api/v1/customers/" + id).then().body(json("attributes.city", equalTo("Beijing")))
                .body(json("lastActiveAt", equalTo(at.plusSeconds(10).toString())));

        send(List.of(event("anonymousId", anonymous, "order", at.plusSeconds(20)))).statusCode(200);
        asAdmin().get("/api/v1/customers/" + id + "/events").then().body(json("items.type",
                contains("order", "add_to_cart", "view")));
        // again for the same pair: harmless
        identify(Map.of("anonymousId", anonymous, "customerId", id)).statusCode(200).body(json("alreadyLinked", equalTo(true)))
                .body(json("eventsMoved", equalTo(0)));
    }

    @Test
    void identifyRefusesAnUnknownCustomerAndASecondOwner() {
        String anonymous = "anon-" + UUID.randomUUID();
        String first = customer(null);
        String second = customer(null);
        identify(Map.of("anonymousId", anonymous, "customerId", UUID.randomUUID().toString())).statusCode(404)
                .contentType("application/problem+json");
        identify(Map.of("anonymousId", anonymous, "customerId", first)).statusCode(200);
        identify(Map.of("anonymousId", anonymous, "customerId", second, "attributes", Map.of("x", 1))).statusCode(409)
                .body(json("type", equalTo("https://headless-crm.dev/problems/anonymous-id-linked")));
        asAdmin().get("/api/v1/customers/" + second).then().body(json("attributes.x", nullValue()));
        identify(Map.of("anonymousId", anonymous)).statusCode(422);
        identify(Map.of("anonymousId", anonymous, "customerId", first, "externalId", "x")).statusCode(422);
    }

    @Test
    void theTimelinePagesNewestFirstAndFiltersByTypeAndTime() {
        String id = customer(null);
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(event("customerId", id, i % 2 == 0 ? "view" : "order", base.plusSeconds(i)));
        }
        send(items).statusCode(200).body(json("accepted", equalTo(7)));
        String path = "/api/v1/customers/" + id + "/events";
        String cursor = asAdmin().get(path + "?limit=3").then().statusCode(200).body(json("items", hasSize(3)))
                .body(json("items[0].occurredAt", equalTo(base.plusSeconds(6).toString()))).extract().as(Json.class).get("nextCursor");
        asAdmin().get(path + "?limit=3&cursor=" + cursor).then().body(json("items[0].occurredAt",
                equalTo(base.plusSeconds(3).toString())));
        asAdmin().get(path + "?type=order").then().body(json("items", hasSize(3)));
        asAdmin().get(path + "?type=order&type=view&from=" + base.plusSeconds(2) + "&to=" + base.plusSeconds(4))
                .then().body(json("items", hasSize(2)));
        asAdmin().get(path + "?cursor=forged").then().statusCode(400);
    }

    @Test
    void deletingACustomerDeletesItsEvents() {
        String id = customer(null);
        send(List.of(event("customerId", id, "view", Instant.now()))).statusCode(200);
        asAdmin().delete("/api/v1/customers/" + id).then().statusCode(204);
        assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1", UUID.fromString(id))).isZero();
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
