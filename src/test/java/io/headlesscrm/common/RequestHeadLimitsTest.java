package io.headlesscrm.common;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestHeadLimitsTest {

    @Test
    void aRequestLineOverTheLimitIsA414Problem() {
        asAdmin().get("/api/v1/customers?externalId=" + "x".repeat(9000)).then().statusCode(414)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/uri-too-long")))
                .body(json("status", equalTo(414))).body(json("detail", equalTo("The request line has 9042 bytes; at most 8192 are accepted")))
                .body(json("instance", nullValue())).header("X-Request-Id", notNullValue());
    }

    @Test
    void headersOverTheLimitAreA431Problem() {
        asAdmin().header("X-Padding", "y".repeat(21_000)).get("/api/v1/customers").then().statusCode(431)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/headers-too-large")))
                .body(json("status", equalTo(431))).header("X-Request-Id", notNullValue());
    }

    @Test
    void requestsWithinTheLimitsAreServed() {
        asAdmin().header("X-Padding", "y".repeat(10_000)).get("/api/v1/customers?externalId=" + "x".repeat(4000))
                .then().statusCode(200);
    }
}
