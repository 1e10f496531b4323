package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.claims;
import static io.headlesscrm.testing.Credentials.sign;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class AuditLogTest {

    private static final String LOG = "/api/v1/audit-log";

    @Inject
    Pool pool;

    @Test
    void everyCustomerChangeIsRecordedWithWhoWhatWhenAndTheRequest() {
        String user = "audit-" + UUID.randomUUID();
        String token = sign(claims(user, Roles.MARKETER));
        Instant start = Instant.now().minusSeconds(1);
        String id = as(token).header("X-Request-Id", "req-create-" + user).contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "email", "ada@example.com", "attributes", Map.of("tier", "gold")))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        as(token).header("X-Request-Id", "req-patch-" + user).contentType("application/merge-patch+json")
                .body("{\"name\": \"Ada King\", \"attributes\": {\"tier\": null, \"city\": \"London\"}}")
                .patch("/api/v1/customers/" + id).then().statusCode(200);
        as(token).delete("/api/v1/customers/" + id).then().statusCode(204);

        Json entries = asAdmin().get(LOG + "?entity=customer&entityId=" + id).then().statusCode(200)
                .body(json("items.action", equalTo(List.of("delete", "update", "create"))))
                .extract().as(Json.class);
        assertThat(entries.getString("items[2].actor.type")).isEqualTo("user");
        assertThat(entries.getString("items[2].actor.id")).isEqualTo("sub-" + user);
        assertThat(entries.getString("items[2].actor.name")).isEqualTo(user);
        assertThat(entries.getString("items[2].actor.clientId")).isEqualTo("crm-spa");
        assertThat(entries.getString("items[2].requestId")).isEqualTo("req-create-" + user);
        assertThat(Instant.parse(entries.getString("items[2].occurredAt"))).isAfter(start);
        assertThat(entries.getMap("items[2].changes")).containsOnlyKeys("name", "email", "type", "attributes.tier");
        // a value that was or became absent is left out, as everywhere in the API
        assertThat(entries.getMap("items[2].changes.name")).containsOnly(entry("new", "Ada"));

        assertThat(entries.getString("items[1].requestId")).isEqualTo("req-patch-" + user);
        assertThat(entries.getMap("items[1].changes")).containsOnlyKeys("name", "attributes.tier", "attributes.city");
        assertThat(entries.getMap("items[1].changes.name")).containsEntry("old", "Ada").containsEntry("new", "Ada King");
        assertThat(entries.getMap("items[1].changes['attributes.tier']")).containsOnly(entry("old", "gold"));

        assertThat(entries.getMap("items[0].changes.name")).containsOnly(entry("old", "Ada King"));
        assertThat(entries.getString("items[0].requestId")).matches("[0-9a-f-]{36}");
    }

    @Test
    void apiKeyChangesAreRecordedWithoutTheSecret() {
        Json key = ApiKeyTest.create(Map.of("name", "audited", "roles", List.of(Roles.ANALYST)));
        asAdmin().delete("/api/v1/api-keys/" + key.getString("id")).then().statusCode(204);
        String log = asAdmin().get(LOG + "?entity=api-key&entityId=" + key.getString("id")).then().statusCode(200)
                .body(json("items.action", equalTo(List.of("update", "create"))))
                .body(json("items[0].changes.revokedAt.old", nullValue()))
                .body(json("items[0].actor.type", equalTo("api-key")))
                .body(json("items[1].changes.name.new", equalTo("audited")))
                .extract().asString();
        assertThat(log).doesNotContain(key.getString("key")).doesNotContain(key.getString("key").substring(9, 41));
    }

    @Test
    void refusedAndInvalidWritesLeaveNoTrace() {
        String user = "quiet-" + UUID.randomUUID();
        String token = sign(claims(user, Roles.MARKETER));
        as(token).contentType(ContentType.JSON).body(Map.of("name", "x", "email", "broken"))
                .post("/api/v1/customers").then().statusCode(422);
        String ext = "taken-" + user;
        as(token).contentType(ContentType.JSON).body(Map.of("name", "first", "externalId", ext))
                .post("/api/v1/customers").then().statusCode(201);
        as(token).contentType(ContentType.JSON).body(Map.of("name", "second", "externalId", ext))
                .post("/api/v1/customers").then().statusCode(409);
        given().auth().oauth2(sign(claims(user, Roles.ANALYST))).contentType(ContentType.JSON)
                .body(Map.of("name", "nope")).post("/api/v1/customers").then().statusCode(403);
        asAdmin().get(LOG + "?actor=sub-" + user).then().statusCode(200)
                .body(json("items", hasSize(1))).body(json("items[0].changes.name.new", equalTo("first")));
    }

    @Test
    void filtersAndPagesNewestFirst() {
        String user = "pager-" + UUID.randomUUID();
        String token = sign(claims(user, Roles.MARKETER));
        for (int i = 0; i < 3; i++) {
            as(token).contentType(ContentType.JSON).body(Map.of("name", "P" + i)).post("/api/v1/customers").then()
                    .statusCode(201);
        }
        Json first = asAdmin().get(LOG + "?actor=sub-" + user + "&action=CREATE&limit=2").then().statusCode(200)
                .body(json("items", hasSize(2))).body(json("items[0].changes.name.new", equalTo("P2")))
                .body(json("next", not(nullValue()))).extract().as(Json.class);
        asAdmin().urlEncodingEnabled(false).get(first.getString("next")).then().statusCode(200)
                .body(json("items.changes.name.new", equalTo(List.of("P0")))).body(json("next", nullValue()));
        asAdmin().get(LOG + "?actor=sub-" + user + "&to=2000-01-01T00:00:00Z").then().body(json("items", hasSize(0)));
        asAdmin().get(LOG + "?action=rename").then().statusCode(400)
                .body(json("type", equalTo("https://headless-crm.dev/problems/invalid-parameter")));
        asAdmin().get(LOG + "?cursor=garbage").then().statusCode(400)
                .body(json("type", equalTo("https://headless-crm.dev/problems/invalid-cursor")));
        asAdmin().get(LOG + "?from=yesterday").then().statusCode(400);
    }

    @Test
    void theLogCannotBeAlteredThroughTheApiNorInTheDatabase() {
        String id = asAdmin().get(LOG + "?limit=1").then().statusCode(200).extract().as(Json.class).get("items[0].id");
        String before = asAdmin().get(LOG + "?limit=1").then().extract().as(Json.class).get("items[0]").toString();
        asAdmin().contentType(ContentType.JSON).body(Map.of("entity", "customer")).post(LOG).then().statusCode(405);
        asAdmin().delete(LOG).then().statusCode(405);
        asAdmin().delete(LOG + "/" + id).then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("action", "delete")).put(LOG + "/" + id).then().statusCode(404);
        assertThat(asAdmin().get(LOG + "?limit=1").then().extract().as(Json.class).get("items[0]").toString()).isEqualTo(before);

        for (String sql : List.of("UPDATE audit_log SET actor_id = 'someone-else'", "DELETE FROM audit_log",
                "TRUNCATE audit_log")) {
            assertThatThrownBy(() -> pool.query(sql).execute().await().indefinitely()).as(sql)
                    .hasMessageContaining("append-only");
        }
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }
}
