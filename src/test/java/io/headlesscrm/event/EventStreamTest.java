package io.headlesscrm.event;

import static io.headlesscrm.event.EventIngestTest.customer;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class EventStreamTest {

    private static final String STREAM = "/api/v1/events/stream";
    private static final String NDJSON = "application/x-ndjson";
    private static final Instant BASE = Instant.now().minusSeconds(10_000);

    @Inject
    Pool pool;

    private static String line(String customer, int i, int padding) {
        return "{\"eventId\": \"s-" + i + "\", \"type\": \"view\", \"customerId\": \"" + customer + "\", \"occurredAt\": \""
                + BASE.plusSeconds(i) + "\", \"properties\": {\"pad\": \"" + "x".repeat(padding)
                + "\"}}\n";
    }

    @Test
    void aStreamLongerThanTheBodyLimitIsStoredAndItsBadLinesRejectedAlone() {
        String customer = customer(null);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 2600; i++) { // ~2.7 MB: more than the 2 MB body limit, in three chunks
            if (i == 1200) {
                body.append("{not json\n");
            } else if (i == 1300) {
                body.append("\n"); // blank: skipped, but counted as a line number
            } else if (i == 2500) {
                body.append("{\"eventId\": \"x\", \"type\": \"view\", \"occurredAt\": \"" + Instant.now() + "\"}\n");
            } else {
                body.append(line(customer, i, 1000));
            }
        }
        body.append(line(customer, 5, 1000)); // a replay of line 5, without a final newline
        body.setLength(body.length() - 1);
        asAdmin().contentType(NDJSON).body(body.toString().getBytes(StandardCharsets.UTF_8)).post(STREAM).then().statusCode(200)
                .body(json("lines", equalTo(2600))).body(json("accepted", equalTo(2597))).body(json("duplicates", equalTo(1)))
                .body(json("rejected", equalTo(2))).body(json("errors.line", contains(1200, 2500)));
        assertThat(count(customer)).isEqualTo(2597);
    }

    @Test
    void aLineOverTheLimitIsRejectedAndTheStreamGoesOn() {
        String customer = customer(null);
        String body = line(customer, 1, 10) + line(customer, 2, 2_200_000) + line(customer, 3, 10);
        asAdmin().contentType(NDJSON).body(body.getBytes(StandardCharsets.UTF_8)).post(STREAM).then().statusCode(200)
                .body(json("accepted", equalTo(2))).body(json("rejected", equalTo(1))).body(json("errors[0].line", equalTo(2)));
        assertThat(count(customer)).isEqualTo(2);
    }

    @Test
    void theStreamChecksCredentialsRoleAndMediaType() {
        String customer = customer(null);
        String body = line(customer, 1, 10);
        RestAssured.given().contentType(NDJSON).body(body.getBytes(StandardCharsets.UTF_8)).post(STREAM).then().statusCode(401);
        asUserWith(Roles.ANALYST).contentType(NDJSON).body(body.getBytes(StandardCharsets.UTF_8)).post(STREAM).then().statusCode(403)
                .contentType("application/problem+json");
        asAdmin().contentType("application/json").body(body).post(STREAM).then().statusCode(415)
                .contentType("application/problem+json");
        asUserWith(Roles.PARTNER).contentType(NDJSON).body(body.getBytes(StandardCharsets.UTF_8)).post(STREAM).then().statusCode(200)
                .body(json("accepted", equalTo(1)));
        asAdmin().contentType(NDJSON).body(new byte[0]).post(STREAM).then().statusCode(200).body(json("lines", equalTo(0)));
    }

    private long count(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM event WHERE customer_id = $1")
                .execute(Tuple.of(UUID.fromString(customer))).await().indefinitely().iterator().next().getLong(0);
    }
}
