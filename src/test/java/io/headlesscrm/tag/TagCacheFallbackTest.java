package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Swaps;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** With Redis unreachable, tag writes and lookups still work, from PostgreSQL, with no error to the client. */
@QuarkusTest
class TagCacheFallbackTest {

    @Inject
    MeterRegistry metrics;

    @BeforeEach
    void redisIsDown() {
        Swaps.unreachableRedis();
    }

    @Test
    void lookupsFallBackToPostgres() {
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "No Redis"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        String tag = "r-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "R")).post("/api/v1/tags").then()
                .statusCode(201);
        double fallbacks = metrics.counter("crm.tags.cache", "result", "fallback").count();
        asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().statusCode(200).body(json("key", equalTo(List.of(tag))));
        asAdmin().delete("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(204);
        asAdmin().get("/api/v1/customers/" + customer + "/tags").then().statusCode(200).body(json("key", equalTo(List.of())));
        assertThat(metrics.counter("crm.tags.cache", "result", "fallback").count()).isGreaterThanOrEqualTo(fallbacks + 2);
    }

    @Test
    void readinessStaysUpAndSaysRedisIsDegraded() {
        given().get("/q/health/ready").then().statusCode(200).body(json("status", equalTo("UP")))
                .body(json("checks.find { it.name == 'Redis' }.data.redis", startsWith("degraded")));
    }
}
