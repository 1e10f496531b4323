package io.headlesscrm.operations;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsTest {

    @Test
    void readinessChecksPostgresAndRedis() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(json("status", equalTo("UP")))
                .body(json("checks.name", hasItems("Reactive PostgreSQL connections health check", "Redis")))
                .body(json("checks.find { it.name == 'Redis' }.data.redis", equalTo("up")));
        given().when().get("/q/health/live").then().statusCode(200).body(json("status", equalTo("UP")));
    }

    @Test
    void exposesPrometheusMetrics() {
        asAdmin().when().get("/api/v1/customers?limit=1").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownPathsAreProblems() {
        asAdmin().when().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/not-found")));
        // without credentials nothing, not even whether a path exists, is told
        given().when().get("/api/v1/nothing-here").then().statusCode(401)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/unauthorized")));
    }
}
