package io.headlesscrm.webhook;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class WebhookEndpointTest {

    private static final String ENDPOINTS = "/api/v1/webhook-endpoints";
    private static final String URL = "http://127.0.0.1:9/hooks";

    @Inject
    Pool pool;

    @Test
    void subscribesShowsTheSecretOnceChangesRotatesAndDeletes() {
        var created = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", URL, "eventTypes", List.of("touchpoint.*", "customer.created"), "description", "SMS gateway"))
                .post(ENDPOINTS).then().statusCode(201).header("Location", containsString(ENDPOINTS + "/"))
                .header("ETag", "\"0\"").body(json("secret", startsWith("whsec_"))).body(json("enabled", equalTo(true)))
                .extract();
        Json body = created.as(Json.class);
        String id = body.get("id");
        String secret = body.get("secret");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        asAdmin().get(ENDPOINTS + "/" + id).then().statusCode(200).body(json("secret", nullValue()))
                .body(json("eventTypes", equalTo(List.of("touchpoint.*", "customer.created"))));
        asAdmin().get(ENDPOINTS + "?limit=100").then().statusCode(200).body(json("items.id", hasItem(id)));

        // encrypted at rest: the stored bytes do not hold the secret
        byte[] stored = pool.preparedQuery("SELECT secret FROM webhook_endpoint WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely().iterator().next().getBuffer(0).getBytes();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret.substring(6));

        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("enabled", false, "rateLimitPerSecond", 50)).patch(ENDPOINTS + "/" + id).then()
                .statusCode(200).body(json("enabled", equalTo(false))).body(json("rateLimitPerSecond", equalTo(50)))
                .body(json("version", equalTo(1)));
        asAdmin().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("enabled", true)).patch(ENDPOINTS + "/" + id).then().statusCode(412);

        // what each secret signs during the grace period is checked on real deliveries (WebhookDeliveryTest)
        String rotated = asAdmin().post(ENDPOINTS + "/" + id + "/rotate-secret?graceSeconds=3600").then().statusCode(200)
                .body(json("secret", startsWith("whsec_"))).body(json("secret", not(equalTo(secret))))
                .body(json("previousSecretUntil", notNullValue())).extract().as(Json.class).get("secret");

        asAdmin().get("/api/v1/audit-log?entity=webhook-endpoint&entityId=" + id).then().statusCode(200)
                .body(json("items.action", equalTo(List.of("update", "update", "create"))))
                .body(not(containsString(secret.substring(6)))).body(not(containsString(rotated.substring(6))));
        asAdmin().delete(ENDPOINTS + "/" + id).then().statusCode(204);
        asAdmin().get(ENDPOINTS + "/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    /**
     * Messages do not check their endpoint per row (V15): the statement writing them locks the endpoints it reads, so
     * a deletion meanwhile waits for that transaction and then takes its messages with it, never leaving one behind.
     */
    @Test
    void anEndpointDeletedWhileItsMessagesAreWrittenWaitsAndTakesThemWithIt() throws Exception {
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("url", URL, "eventTypes", List.of("touchpoint.*")))
                .post(ENDPOINTS).then().statusCode(201).extract().as(Json.class).get("id");
        UUID endpoint = UUID.fromString(id);
        String write = Outbox.insertRendered("(SELECT CAST('touchpoint.created' AS text) AS type,"
                + " CAST($1 AS uuid) AS subject, CAST(NULL AS uuid) AS customer) ev");
        var connection = pool.getConnection().await().indefinitely();
        try {
            var tx = connection.begin().await().indefinitely();
            int writer = connection.query("SELECT pg_backend_pid()").execute().await().indefinitely().iterator().next()
                    .getInteger(0);
            int written = connection.preparedQuery(write).execute(Tuple.of(UUID.randomUUID())).await().indefinitely()
                    .rowCount();
            assertThat(written).isGreaterThanOrEqualTo(1);
            CompletableFuture<Integer> deleted = CompletableFuture
                    .supplyAsync(() -> asAdmin().delete(ENDPOINTS + "/" + id).then().extract().statusCode());
            Waits.eventually().failFast("the deletion did not wait", deleted::isDone).until(() -> blockedBy(writer));
            assertThat(deleted).as("the deletion waits for the transaction writing the endpoint's messages").isNotDone();
            assertThat(messages(endpoint)).isZero(); // not committed yet
            tx.commit().await().indefinitely();
            assertThat(deleted.get(10, TimeUnit.SECONDS)).isEqualTo(204);
        } finally {
            connection.close().await().indefinitely();
        }
        assertThat(messages(endpoint)).as("the deletion took the message committed before it").isZero();
    }

    /** Whether a statement of another session waits for a lock that this backend holds. */
    private boolean blockedBy(int backend) {
        return pool.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))")
                .execute(Tuple.of(backend)).await().indefinitely().iterator().next().getLong(0) > 0;
    }

    private long messages(UUID endpoint) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_message WHERE endpoint_id = $1").execute(Tuple.of(endpoint))
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void badEndpointsAre422NamingTheFieldAndNothingIsStored() {
        long before = count();
        List<Map<String, Object>> bodies = List.of(
                Map.of("url", "ftp://127.0.0.1/x", "eventTypes", List.of("*")),
                Map.of("url", "not a url", "eventTypes", List.of("*")),
                Map.of("url", "http://10.1.2.3/hook", "eventTypes", List.of("*")),
                Map.of("url", "http://169.254.169.254/latest/meta-data", "eventTypes", List.of("*")),
                Map.of("url", "http://[::1]:8080/hook", "eventTypes", List.of("*")),
                Map.of("url", "http://no-such-host.invalid/hook", "eventTypes", List.of("*")),
                Map.of("url", "http://user:pass@127.0.0.1/hook", "eventTypes", List.of("*")),
                Map.of("url", URL, "eventTypes", List.of("touchpoint.*", "nothing.*")),
                Map.of("url", URL, "eventTypes", List.of()),
                Map.of("url", URL, "eventTypes", List.of("*"), "rateLimitPerSecond", 0));
        List<String> fields = List.of("url", "url", "url", "url", "url", "url", "url", "eventTypes[1]", "eventTypes",
                "rateLimitPerSecond");
        for (int i = 0; i < bodies.size(); i++) {
            asAdmin().contentType(ContentType.JSON).body(bodies.get(i)).post(ENDPOINTS).then().statusCode(422)
                    .contentType("application/problem+json").body(json("errors.field", hasItem(fields.get(i))));
        }
        asAdmin().contentType(ContentType.JSON).post(ENDPOINTS).then().statusCode(400);
        assertThat(count()).isEqualTo(before);

        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("url", URL, "eventTypes", List.of("*")))
                .post(ENDPOINTS).then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("url", "http://192.168.0.10/hook"))
                .patch(ENDPOINTS + "/" + id).then().statusCode(422).body(json("errors.field", hasItem("url")));
        asAdmin().post(ENDPOINTS + "/" + id + "/rotate-secret?graceSeconds=999999999").then().statusCode(422);
        asAdmin().get(ENDPOINTS + "/" + id).then().body(json("url", equalTo(URL))).body(json("version", equalTo(0)));
    }

    private long count() {
        return pool.query("SELECT count(*) FROM webhook_endpoint").execute().await().indefinitely().iterator().next()
                .getLong(0);
    }
}
