package io.headlesscrm.dataio;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Duplicates and merges: what moves, by which rule, the dry run, aliases afterwards, and bad input. */
@QuarkusTest
class MergeTest {

    @Inject
    Pool pool;

    @Test
    void aMergeFoldsEverythingIntoTheSurvivorAndLeavesAliases() {
        String m = "mg" + UUID.randomUUID().toString().substring(0, 8);
        String endpoint = asAdmin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/merge",
                "eventTypes", List.of("customer.*"))).post("/api/v1/webhook-endpoints").then().statusCode(201)
                .extract().as(Json.class).get("id");
        try {
            for (String tag : List.of(m + "-a", m + "-b", m + "-c")) {
                asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", tag)).post("/api/v1/tags")
                        .then().statusCode(201);
            }
            String a = customer(Map.of("externalId", "a-" + m, "name", "Ada", "email", m + "@example.com",
                    "attributes", Map.of("city", "Beijing", "tier", "gold")));
            String b = customer(Map.of("externalId", "b-" + m, "name", "Ada L.", "email", m.toUpperCase() + "@Example.com",
                    "phone", "+86137" + (10_000_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(89_999_999)),
                    "attributes", Map.of("tier", "silver", "vip", true)));
            String bPhone = asAdmin().get("/api/v1/customers/" + b).then().extract().as(Json.class).get("phone");
            asAdmin().put("/api/v1/customers/" + a + "/tags/" + m + "-a").then().statusCode(201);
            asAdmin().put("/api/v1/customers/" + b + "/tags/" + m + "-a").then().statusCode(201);
            asAdmin().put("/api/v1/customers/" + b + "/tags/" + m + "-b").then().statusCode(201);
            consent(a, "EMAIL", "OPTED_IN");
            consent(b, "EMAIL", "OPTED_OUT");
            consent(b, "SMS", "OPTED_IN");
            String at = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            events(List.of(event(a, "both-" + m, at), event(b, "both-" + m, at), event(b, "own-" + m, at)));
            asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", b, "channel", "EMAIL", "content",
                    Map.of("body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201);

            // the duplicates list finds them by their email, whatever its case
            Json group = duplicateGroup(m + "@example.com");
            assertThat(group.getList("customers.id")).containsExactly(a, b);

            // bad input changes nothing
            problem(merge(a, Map.of("mergeId", a)), 422);
            problem(merge(a, Map.of()), 422);
            problem(merge(a, Map.of("mergeId", UUID.randomUUID().toString())), 422);
            problem(merge(UUID.randomUUID().toString(), Map.of("mergeId", b)), 404);
            problem(merge(a, Map.of("mergeId", b, "rule", "LOUDEST")), 400);

            Json dry = merge(a, Map.of("mergeId", b, "dryRun", true)).statusCode(200).extract().as(Json.class);
            assertThat(dry.getBoolean("dryRun")).isTrue();
            assertThat(dry.getString("customer.name")).isEqualTo("Ada");
            assertThat(dry.getString("customer.phone")).isEqualTo(bPhone);
            assertThat(dry.getMap("customer.attributes")).isEqualTo(Map.of("city", "Beijing", "tier", "gold", "vip", true));
            assertThat(dry.getLong("moved.events")).isEqualTo(1);
            assertThat(dry.getLong("moved.touchpoints")).isEqualTo(1);
            assertThat(dry.getLong("moved.tags")).isEqualTo(1);
            asAdmin().get("/api/v1/customers/" + b).then().statusCode(200).body(json("id", equalTo(b)));
            assertThat(count("SELECT count(*) FROM customer_alias WHERE alias_id = $1::uuid", b)).isZero();

            Json done = merge(a, Map.of("mergeId", b, "rule", "MERGED")).statusCode(200).extract().as(Json.class);
            assertThat(done.getBoolean("dryRun")).isFalse();
            assertThat(done.getString("customer.id")).isEqualTo(a);
            assertThat(done.getString("customer.name")).isEqualTo("Ada L.");
            assertThat(done.getString("customer.externalId")).isEqualTo("a-" + m);
            assertThat(done.getMap("customer.attributes")).isEqualTo(Map.of("city", "Beijing", "tier", "silver", "vip", true));

            // aliases: reads, writes, upserts and events through the merged id and external id reach the survivor
            asAdmin().get("/api/v1/customers/" + b).then().statusCode(200).body(json("id", equalTo(a)));
            asAdmin().get("/api/v1/customers-by-external-id/b-" + m).then().statusCode(200).body(json("id", equalTo(a)));
            asAdmin().contentType("application/merge-patch+json").body(Map.of("attributes", Map.of("via", "alias")))
                    .patch("/api/v1/customers/" + b).then().statusCode(200).body(json("id", equalTo(a)));
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Ada Lovelace"))
                    .put("/api/v1/customers-by-external-id/b-" + m).then().statusCode(200).body(json("id", equalTo(a)))
                    .body(json("externalId", equalTo("a-" + m)));
            events(List.of(event(b, "later-" + m, at), Map.of("externalId", "b-" + m, "type", "visit",
                    "eventId", "ext-" + m, "occurredAt", at)));
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Copy", "externalId", "b-" + m))
                    .post("/api/v1/customers").then().statusCode(409);
            String job = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID",
                    "mode", "UPDATE", "columns", Map.of("externalId", "externalId", "name", "name")))
                    .post("/api/v1/imports").then().statusCode(201).extract().as(Json.class).get("id");
            asAdmin().contentType("text/csv; charset=utf-8").body(("externalId,name\nb-" + m + ",Via Import\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).put("/api/v1/imports/" + job + "/file").then()
                    .statusCode(202);
            assertThat(DataJobs.awaitFinished("/api/v1/imports/" + job).getInt("updated")).isEqualTo(1);
            asAdmin().get("/api/v1/customers/" + a).then().statusCode(200).body(json("name", equalTo("Via Import")))
                    .body(json("externalId", equalTo("a-" + m)));
            // a merged id in a request body names the survivor; in the path of an operation on a customer, 308 to it
            asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", b, "channel", "SMS", "content",
                    Map.of("body", "Hi again"))).post("/api/v1/touchpoints").then().statusCode(201)
                    .body(json("customerId", equalTo(a)));
            asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(m + "-c"),
                    "customerIds", List.of(b, a))).post("/api/v1/tag-assignments").then().statusCode(200)
                    .body(json("customers", equalTo(1))).body(json("changed", equalTo(1)));
            for (String operation : List.of("erase", "export", "merge")) {
                var request = asAdmin().redirects().follow(false).contentType(ContentType.JSON);
                String path = "/api/v1/customers/" + b + "/" + operation;
                (operation.equals("export") ? request.get(path) : request.body(Map.of("mergeId", a)).post(path)).then()
                        .statusCode(308).contentType("application/problem+json")
                        .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/customers/" + a + "/" + operation));
            }
            problem(merge(a, Map.of("mergeId", b)), 422).body(json("errors[0].field", equalTo("mergeId")))
                    .body(json("errors[0].message", equalTo("was merged into this customer already")));

            // what moved
            assertThat(asAdmin().get("/api/v1/customers/" + a + "/tags").then().statusCode(200).extract().as(Json.class)
                    .getList("key")).containsExactlyInAnyOrder(m + "-a", m + "-b", m + "-c");
            Json consents = asAdmin().get("/api/v1/customers/" + a + "/consents").then().statusCode(200).extract()
                    .as(Json.class);
            assertThat(consents.getString("find { it.channel == 'EMAIL' }.status")).isEqualTo("OPTED_OUT");
            assertThat(consents.getString("find { it.channel == 'SMS' }.status")).isEqualTo("OPTED_IN");
            assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1::uuid", a)).isEqualTo(4);
            assertThat(count("SELECT count(*) FROM event WHERE customer_id = $1::uuid", b)).isZero();
            assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id = $1::uuid", a)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM customer WHERE id = $1::uuid", b)).isZero();
            assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'merge' AND entity_id = ANY(ARRAY[$1, '"
                    + b + "'])", a)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM webhook_message WHERE event_type = 'customer.merged'"
                    + " AND customer_id = $1::uuid AND body LIKE '%" + b + "%'", a)).isEqualTo(1);

            // a merge into an erased customer, and of an erased one
            String erased = customer(Map.of("name", "Gone " + m));
            asAdmin().post("/api/v1/customers/" + erased + "/erase").then().statusCode(200);
            problem(merge(erased, Map.of("mergeId", a)), 410);
            problem(merge(a, Map.of("mergeId", erased)), 410);

            // erasing the survivor takes the aliases and the merged id's audit entries with it
            asAdmin().post("/api/v1/customers/" + a + "/erase").then().statusCode(200);
            asAdmin().get("/api/v1/customers/" + b).then().statusCode(404);
            assertThat(count("SELECT count(*) FROM audit_log WHERE entity_id LIKE $1 || '%' AND changes <> '{}'", b))
                    .isZero();
        } finally {
            asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
        }
    }

    private static Json duplicateGroup(String email) {
        String cursor = null;
        for (int page = 0; page < 50; page++) {
            var request = asAdmin().queryParam("by", "EMAIL").queryParam("limit", 100);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Json body = request.get("/api/v1/customer-duplicates").then().statusCode(200).extract().as(Json.class);
            List<String> values = body.getList("items.value");
            int i = values.indexOf(email);
            if (i >= 0) {
                return body.child("items[" + i + "]");
            }
            cursor = body.getString("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        throw new AssertionError("No duplicate group for " + email);
    }

    private static ValidatableResponse merge(String id, Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers/" + id + "/merge").then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json");
    }

    private static String customer(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    private static void consent(String customer, String channel, String status) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", status))
                .put("/api/v1/customers/" + customer + "/consents/" + channel).then().statusCode(200);
    }

    private static Map<String, Object> event(String customer, String eventId, String at) {
        return Map.of("customerId", customer, "type", "visit", "eventId", eventId, "occurredAt", at);
    }

    private static void events(List<Map<String, Object>> items) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/events").then()
                .statusCode(200).body(json("rejected", equalTo(0)));
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next().getLong(0);
    }
}
