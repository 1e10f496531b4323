package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.RedisPause;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Redis stopped for 2 s under rate-limited requests: they pass (the limiter fails open), none answers 5xx. */
@QuarkusTest
class RateLimitRedisPauseTest {

    private static final Duration PAUSE = Duration.ofSeconds(2);

    private RedisPause pause;

    @AfterEach
    void resumeRedis() {
        if (pause != null) {
            pause.close();
        }
    }

    @Test
    void rateLimitedRequestsAndEventBatchesPassWhileRedisIsPaused() {
        String customer = Fixtures.customer(null, null);
        pause = RedisPause.of(PAUSE);
        // past the lease of tokens taken before the pause: requests that ask Redis for tokens
        long until = System.nanoTime() + PAUSE.toNanos();
        while (System.nanoTime() < until) {
            asAdmin().get("/api/v1/customers/" + customer).then().statusCode(200).body(json("id", equalTo(customer)));
            Map<String, Object> event = Map.of("eventId", "e-" + UUID.randomUUID(), "type", "view", "customerId",
                    customer, "occurredAt", Instant.now().toString());
            asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(event))).post("/api/v1/events").then()
                    .statusCode(200).body(json("accepted", equalTo(1)));
        }
        pause.awaitEnd();
        asAdmin().get("/api/v1/customers/" + customer).then().statusCode(200).header("RateLimit-Limit", notNullValue());
    }
}
