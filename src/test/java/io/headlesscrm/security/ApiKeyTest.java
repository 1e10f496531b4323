package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class ApiKeyTest {

    private static final String KEYS = "/api/v1/api-keys";

    @Inject
    Pool pool;
    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void theKeyIsShownOnceAndOnlyItsHashIsStored() {
        Json created = create(Map.of("name", "shop sync", "roles", List.of(Roles.PARTNER)));
        String key = created.getString("key");
        String id = created.getString("id");
        assertThat(key).matches("hcrm_[A-Za-z0-9]{40}");
        assertThat(created.getString("keyHint")).startsWith(key.substring(0, 9)).endsWith(key.substring(41));
        assertThat(created.getString("status")).isEqualTo("ACTIVE");
        assertThat(created.getString("createdBy")).isEqualTo("api-key:" + bootstrapKeyId());

        asAdmin().get(KEYS + "/" + id).then().statusCode(200).body(json("$", not(hasKey("key"))))
                .body(json("name", equalTo("shop sync")));
        asAdmin().get(KEYS + "?limit=100").then().statusCode(200).body(json("items.id", hasItem(id)))
                .body(json("items.key", not(hasItem(key))));

        Row row = pool.preparedQuery("SELECT * FROM api_key WHERE id = $1").execute(Tuple.of(java.util.UUID.fromString(id)))
                .await().indefinitely().iterator().next();
        for (int i = 0; i < row.size(); i++) {
            assertThat(String.valueOf(row.getValue(i))).as(row.getColumnName(i)).doesNotContain(key.substring(5));
        }
    }

    @Test
    void aKeyActsWithItsRolesThroughEitherHeader() {
        String key = create(Map.of("name", "partner", "roles", List.of(Roles.PARTNER))).getString("key");
        given().header("X-API-Key", key).contentType(ContentType.JSON).body(Map.of("name", "From partner"))
                .put("/api/v1/customers-by-external-id/partner-" + key.substring(5, 15)).then().statusCode(201);
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("name", "Again"))
                .put("/api/v1/customers-by-external-id/partner-" + key.substring(5, 15)).then().statusCode(200);
        given().header("X-API-Key", key).get("/api/v1/customers").then().statusCode(403);
        given().header("X-API-Key", key).get(KEYS).then().statusCode(403);
    }

    @Test
    void usingAKeyRecordsWhenItWasLastUsed() {
        Json created = create(Map.of("name", "reader", "roles", List.of(Roles.ANALYST)));
        asAdmin().get(KEYS + "/" + created.getString("id")).then().body(json("lastUsedAt", nullValue()));
        given().header("X-API-Key", created.getString("key")).get("/api/v1/customers").then().statusCode(200);
        asAdmin().get(KEYS + "/" + created.getString("id")).then().body(json("lastUsedAt", notNullValue()));
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        Json created = create(Map.of("name", "leaked", "roles", List.of(Roles.ANALYST)));
        String key = created.getString("key");
        given().header("X-API-Key", key).get("/api/v1/customers").then().statusCode(200);
        asAdmin().delete(KEYS + "/" + created.getString("id")).then().statusCode(204);
        asAdmin().delete(KEYS + "/" + created.getString("id")).then().statusCode(204);
        given().header("X-API-Key", key).get("/api/v1/customers").then().statusCode(401)
                .contentType("application/problem+json").body(json("detail", equalTo("The API key was revoked")));
        asAdmin().get(KEYS + "/" + created.getString("id")).then().body(json("status", equalTo("REVOKED")))
                .body(json("revokedAt", notNullValue()));
    }

    @Test
    void aKeyRevokedByAnotherInstanceIsRefusedAtOnce() {
        Json created = create(Map.of("name", "elsewhere", "roles", List.of(Roles.ANALYST)));
        String key = created.getString("key");
        given().header("X-API-Key", key).get("/api/v1/customers").then().statusCode(200); // now cached here
        // what another instance does when it revokes: commit, then announce on the channel
        pool.preparedQuery("UPDATE api_key SET revoked_at = now() WHERE id = $1")
                .execute(Tuple.of(java.util.UUID.fromString(created.getString("id")))).await().indefinitely();
        redis.pubsub(String.class).publish("crm:api-keys:revoked", created.getString("id")).await().indefinitely();
        // delivery is asynchronous, but far quicker than the cache's 10 s, which alone would also refuse it in the end
        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> given().header("X-API-Key", key).get("/api/v1/customers").statusCode(), equalTo(401));
    }

    @Test
    void anExpiredKeyIsRefused() {
        Instant expiresAt = Instant.now().plusSeconds(2);
        Json created = create(Map.of("name", "short-lived", "roles", List.of(Roles.ANALYST),
                "expiresAt", expiresAt.toString()));
        given().header("X-API-Key", created.getString("key")).get("/api/v1/customers").then().statusCode(200);
        Waits.past(expiresAt); // the key is cached from the read before: the cache must not outlive the expiry
        given().header("X-API-Key", created.getString("key")).get("/api/v1/customers").then().statusCode(401)
                .body(json("detail", containsString("expired")));
        asAdmin().get(KEYS + "/" + created.getString("id")).then().body(json("status", equalTo("EXPIRED")));
    }

    @Test
    void badKeyRequestsAreRefusedAndCreateNothing() {
        long before = count();
        invalid(Map.of("name", "x", "roles", List.of("crm-god")), "roles[0]");
        invalid(Map.of("name", "x", "roles", List.of()), "roles");
        invalid(Map.of("roles", List.of(Roles.ADMIN)), "name");
        invalid(Map.of("name", "x", "roles", List.of(Roles.ADMIN), "expiresAt", "2020-01-01T00:00:00Z"), "expiresAt");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "roles", List.of(Roles.ADMIN), "key", "hcrm_mine"))
                .post(KEYS).then().statusCode(400).body(json("type", equalTo("https://headless-crm.dev/problems/unknown-field")));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": ").post(KEYS).then().statusCode(400)
                .body(json("type", equalTo("https://headless-crm.dev/problems/malformed-json")));
        asAdmin().get(KEYS + "/00000000-0000-7000-8000-000000000000").then().statusCode(404);
        assertThat(count()).isEqualTo(before);
    }

    private static void invalid(Map<String, Object> body, String field) {
        asAdmin().contentType(ContentType.JSON).body(body).post(KEYS).then().statusCode(422)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/validation-failed")))
                .body(json("errors.field", hasItem(field)));
    }

    private long count() {
        return pool.query("SELECT count(*) FROM api_key").execute().await().indefinitely().iterator().next().getLong(0);
    }

    private String bootstrapKeyId() {
        return pool.query("SELECT id FROM api_key WHERE name = 'bootstrap (CRM_BOOTSTRAP_API_KEY)'").execute()
                .await().indefinitely().iterator().next().getUUID(0).toString();
    }

    static Json create(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post(KEYS).then().statusCode(201)
                .header("Location", containsString(KEYS + "/")).header("Cache-Control", "no-store")
                .extract().as(Json.class);
    }
}
