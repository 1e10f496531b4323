package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class ExpiredTagSweepTest {

    @Inject
    ExpiredTagSweep sweep;
    @Inject
    Pool pool;

    @Test
    void theSweepRemovesOnlyAssignmentsThatHaveExpired() throws Throwable {
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Swept"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        String lapsing = tag();
        String lasting = tag();
        Instant lapses = Instant.now().plusMillis(300);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", lapses.toString()))
                .put("/api/v1/customers/" + customer + "/tags/" + lapsing).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", Instant.now().plusSeconds(3600).toString()))
                .put("/api/v1/customers/" + customer + "/tags/" + lasting).then().statusCode(201);
        assertThat(rows(customer)).isEqualTo(2);
        Waits.past(lapses);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> sweep.sweep());
        assertThat(rows(customer)).isEqualTo(1);
    }

    private long rows(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM customer_tag WHERE customer_id = $1")
                .execute(Tuple.of(UUID.fromString(customer))).await().indefinitely().iterator().next().getLong(0);
    }

    private static String tag() {
        String key = "s-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Sweep")).post("/api/v1/tags").then()
                .statusCode(201);
        return key;
    }
}
