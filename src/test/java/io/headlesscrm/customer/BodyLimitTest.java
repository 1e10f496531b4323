package io.headlesscrm.customer;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class BodyLimitTest {

    @Test
    void aBodyOverTheLimitIsA413ProblemAndNothingIsWritten() {
        String externalId = "too-big-" + System.nanoTime();
        String big = "{\"externalId\": \"" + externalId + "\", \"name\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        asAdmin().contentType(ContentType.JSON).body(big).post("/api/v1/customers").then().statusCode(413)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/payload-too-large")))
                .body(json("detail", containsString("at most 2097152"))).header("X-Request-Id", notNullValue());
        asAdmin().get("/api/v1/customers?externalId=" + externalId).then().statusCode(200).body(json("items.size()", equalTo(0)));
    }
}
