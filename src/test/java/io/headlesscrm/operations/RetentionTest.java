package io.headlesscrm.operations;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.common.RetentionPurge;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Retention: touchpoints and audit entries past their period are purged, with what hangs off them; the rest stays. */
@QuarkusTest
class RetentionTest {

    @Inject
    Pool pool;
    @Inject
    RetentionPurge retention;

    @Test
    void touchpointsAndAuditEntriesPastTheirRetentionArePurgedAndTheRestStays() {
        String customer = customer();
        String other = customer();
        String old = reach(customer);
        String recent = reach(customer);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "DELIVERED")).post("/api/v1/touchpoints/" + old
                + "/status").then().statusCode(200);
        sql("UPDATE touchpoint SET created_at = now() - interval '11 years' WHERE id = $1", old);
        // the log is append-only: an entry as it would have been written eleven years ago
        sql("INSERT INTO audit_log (occurred_at, actor_type, actor_id, entity, entity_id, action, changes) VALUES"
                + " (now() - interval '11 years', 'system', 'retention-test', 'customer', $1, 'update', '{}')", customer);

        assertThat(retention.purge("touchpoint").await().indefinitely()).isGreaterThanOrEqualTo(1);
        assertThat(retention.purge("audit_log").await().indefinitely()).isGreaterThanOrEqualTo(1);

        asAdmin().get("/api/v1/touchpoints/" + old).then().statusCode(404);
        asAdmin().get("/api/v1/touchpoints/" + recent).then().statusCode(200);
        assertThat(count("SELECT count(*) FROM touchpoint_status_change WHERE touchpoint_id = $1", UUID.fromString(old)))
                .isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'customer' AND entity_id = $1", customer))
                .as("the old entry went, the customer's creation stays").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'customer' AND entity_id = $1", other))
                .isEqualTo(1);
        assertThatThrownBy(() -> sql("DELETE FROM audit_log WHERE entity_id = $1", other))
                .as("anything but a purge is still refused").hasMessageContaining("append-only");
        asAdmin().get("/api/v1/customers/" + customer).then().statusCode(200);
    }

    private static String customer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Retained", "email",
                "retained-" + UUID.randomUUID() + "@example.com")).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    private static String reach(String customer) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customer, "channel", "EMAIL", "content",
                Map.of("subject", "Hello", "body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201).extract()
                .as(Json.class).get("id");
    }

    private void sql(String sql, Object id) {
        pool.preparedQuery(sql).execute(Tuple.of(id instanceof String s && sql.contains("touchpoint") ? UUID.fromString(s)
                : id)).await().indefinitely();
    }

    private long count(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong(0);
    }
}
