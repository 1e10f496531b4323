package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.claims;
import static io.headlesscrm.testing.Credentials.sign;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Swaps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A token bucket per client in Redis: bursts of 3 here, then one request per 20 s. */
@QuarkusTest
class RateLimitTest {

    @BeforeEach
    void smallBucket() {
        Swaps.rateLimits(3, 0.05);
    }

    @Test
    void aClientThatUsesUpItsBucketGets429UntilItRefills() {
        String token = sign(claims("busy-" + UUID.randomUUID(), Roles.ANALYST));
        for (int remaining = 2; remaining >= 0; remaining--) {
            given().auth().oauth2(token).get("/api/v1/customers?limit=1").then().statusCode(200)
                    .header("RateLimit-Limit", "3").header("RateLimit-Remaining", Integer.toString(remaining));
        }
        Response refused = given().auth().oauth2(token).get("/api/v1/customers?limit=1");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/rate-limited")))
                .header("RateLimit-Remaining", "0");
        assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 20L);
        // GraphQL draws on the same bucket
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("query", "{ customers { totalCount } }"))
                .post("/graphql").then().statusCode(429);
    }

    @Test
    void eachClientHasItsOwnBucket() {
        String first = sign(claims("first-" + UUID.randomUUID(), Roles.ANALYST));
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(first).get("/api/v1/customers?limit=1");
        }
        given().auth().oauth2(first).get("/api/v1/customers?limit=1").then().statusCode(429);
        given().auth().oauth2(sign(claims("second-" + UUID.randomUUID(), Roles.ANALYST)))
                .get("/api/v1/customers?limit=1").then().statusCode(200).header("RateLimit-Remaining", "2");
    }

    @Test
    void anonymousRequestsAreNotCounted() {
        for (int i = 0; i < 5; i++) {
            given().get("/q/health/ready").then().statusCode(200).header("RateLimit-Limit", nullValue());
        }
    }
}
