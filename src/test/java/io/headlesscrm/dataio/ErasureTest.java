package io.headlesscrm.dataio;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Subject access and erasure of a customer who has something in every feature: afterwards no table holds anything
 * of theirs (their id only in the tombstone, the audit log and the customer.erased message), and the suppression list
 * keeps them from coming back.
 */
@QuarkusTest
class ErasureTest {

    /** The tables that may still name the erased id, and why: the tombstone, who erased whom, the partners' notice. */
    private static final List<String> MAY_NAME_THE_ID = List.of("customer_erasure", "audit_log", "suppression",
            "webhook_message");

    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;

    /** A customer who has data in every feature; every value of theirs carries {@code token}. */
    private record Person(String id, String token, String phone) {
    }

    @Test
    void theSubjectAccessDocumentHoldsWhatEveryFeatureKeeps() {
        String endpoint = endpoint();
        try {
            Person p = person();
            String body = asAdmin().get("/api/v1/customers/" + p.id() + "/export").then().statusCode(200)
                    .contentType(ContentType.JSON).extract().asString();
            Json doc = Json.of(body);
            // docs/api-tour.md: a field whose value is absent is left out, never null (an event without items, a
            // touchpoint status change without a reason, a lead not yet assigned)
            assertThat(nullsIn(body)).isEmpty();
            assertThat(doc.getString("customerId")).isEqualTo(p.id());
            assertThat(doc.getString("profile.email")).isEqualTo(p.token() + "@example.com");
            assertThat(doc.getString("profile.phone")).isEqualTo(p.phone());
            assertThat(doc.getString("profile.attributes.note")).isEqualTo("attr-" + p.token());
            assertThat(doc.getList("held.tags.tag")).containsExactly(ERASURE_TAG);
            assertThat(doc.getString("held.consents[0].source")).isEqualTo("form-" + p.token());
            assertThat(doc.getList("held.events.recorded.properties.note")).contains("prop-" + p.token());
            assertThat(doc.getList("held.events.anonymousIds.anonymousId")).containsExactly("anon-" + p.token());
            assertThat(doc.getString("held.touchpoints[0].content.body")).isEqualTo("Hello " + p.token());
            assertThat(doc.getString("held.touchpoints[0].status")).isEqualTo("QUEUED");
            assertThat(doc.getList("held.webhookMessages.eventType")).contains("customer.created", "tag.assigned");
            assertThat(doc.getList("held.auditEntries.entity")).contains("customer", "customer-tag", "customer-consent");
            assertThat(doc.getList("held.leads")).hasSize(1);
            assertThat(doc.getString("held.leads[0].type")).isEqualTo("call-back");
            assertThat(doc.getList("held.segments.memberships.segment")).contains("lifecycle");
            assertThat(doc.getList("held.idempotencyKeys.key")).containsExactly(p.token());
            assertThat(doc.getMap("held")).containsKeys("campaigns");
            asAdmin().get("/api/v1/customers/" + UUID.randomUUID() + "/export").then().statusCode(404);
        } finally {
            asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
        }
    }

    @Test
    void anErasedCustomerIsFoundInNoTableAndCannotComeBackUnlessLifted() {
        String endpoint = endpoint();
        try {
            Person p = person();
            String export = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV",
                    "filter", Map.of("tagsAll", List.of(ERASURE_TAG)), "fields", List.of("id", "name", "email")))
                    .post("/api/v1/exports").then().statusCode(202).extract().as(Json.class).get("id");
            assertThat(DataJobs.awaitFinished("/api/v1/exports/" + export).getInt("rows")).isPositive();
            // jobs whose filters name them, by email, phone and external id: the jobs stay, the values go
            String byEmail = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "NDJSON",
                    "filter", Map.of("email", p.token().toUpperCase() + "@example.com"))).post("/api/v1/exports").then()
                    .statusCode(202).extract().as(Json.class).get("id");
            DataJobs.awaitFinished("/api/v1/exports/" + byEmail);
            String tagJob = asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags",
                    List.of(ERASURE_TAG), "filter", Map.of("phone", p.phone(), "externalId", "ext-" + p.token())))
                    .post("/api/v1/tag-assignments").then().statusCode(202).extract().as(Json.class).get("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin().get("/api/v1/tag-jobs/" + tagJob).then()
                    .statusCode(200).extract().as(Json.class).<String>get("status").equals("SUCCEEDED"));

            Json erased = asAdmin().post("/api/v1/customers/" + p.id() + "/erase").then().statusCode(200)
                    .body(json("customerId", equalTo(p.id()))).extract().as(Json.class);
            assertThat(erased.getLong("removed.events")).isGreaterThanOrEqualTo(2);
            assertThat(erased.getLong("removed.touchpoints")).isEqualTo(1);
            assertThat(erased.getLong("removed.tags")).isEqualTo(1);
            assertThat(erased.getLong("removed.leads")).isEqualTo(1);
            assertThat(erased.getLong("removed.webhookMessages")).isPositive();
            assertThat(erased.getLong("removed.auditEntries")).isPositive();
            // the two jobs naming them, and the audit entries of their creation
            assertThat(erased.getLong("removed.redacted")).isGreaterThanOrEqualTo(4);

            Map<String, Long> withToken = tablesHolding(p.token());
            Map<String, Long> withPhone = tablesHolding(p.phone());
            assertThat(withToken).as("tables holding their data").isEmpty();
            assertThat(withPhone).as("tables holding their phone").isEmpty();
            assertThat(asAdmin().get("/api/v1/exports/" + byEmail).then().statusCode(200).extract().as(Json.class).<String>get(
                    "filter.email")).isEqualTo("[erased]");
            assertThat(asAdmin().get("/api/v1/tag-jobs/" + tagJob).then().statusCode(200).extract().as(Json.class).<String>get(
                    "filter.phone")).isEqualTo("[erased]");
            // nor does any Redis key, by name or value, but their tag-cache version: a counter, gone once no
            // instance can hold a copy of their tags (the cache's TTL)
            for (String needle : List.of(p.token(), p.phone(), p.id())) {
                assertThat(redisKeysHolding(needle)).as("Redis keys naming or holding " + needle)
                        .allSatisfy((key, value) -> {
                            assertThat(key).isEqualTo("crm:tags:v:" + p.id());
                            assertThat(value).matches("[0-9]+");
                            assertThat(redis.key().pttl(key)).isBetween(1L, Duration.ofMinutes(10).toMillis());
                        });
            }
            // the deletion's triggers mark the id for the segment upkeep, whose next pass takes the mark away
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(MAY_NAME_THE_ID)
                    .containsAll(tablesHolding(p.id()).keySet()));
            assertThat(rows("SELECT event_type FROM webhook_message WHERE body LIKE '%' || $1 || '%'"
                    + " OR customer_id = $1::uuid", p.id())).allMatch(r -> r.getString(0).equals("customer.erased"));
            assertThat(rows("SELECT action, changes::text FROM audit_log WHERE entity_id LIKE $1 || '%'", p.id()))
                    .allMatch(r -> r.getString(1).equals("{}")).anyMatch(r -> r.getString(0).equals("erase"));
            asAdmin().get("/api/v1/exports/" + export + "/file").then().statusCode(410);
            asAdmin().get("/api/v1/customers/" + p.id()).then().statusCode(404);

            // bad input: erasing twice, reading or erasing what is not there
            problem(asAdmin().post("/api/v1/customers/" + p.id() + "/erase"), 410, "customer-erased");
            problem(asAdmin().get("/api/v1/customers/" + p.id() + "/export"), 410, "customer-erased");
            asAdmin().post("/api/v1/customers/" + UUID.randomUUID() + "/erase").then().statusCode(404);

            // they cannot come back: not by create, upsert, update or import
            Map<String, Object> again = Map.of("name", "Again", "email", p.token().toUpperCase() + "@Example.com");
            problem(asAdmin().contentType(ContentType.JSON).body(again).post("/api/v1/customers"), 409,
                    "customer-suppressed").body(json("errors.field", hasItem("email")));
            problem(asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Again"))
                    .put("/api/v1/customers-by-external-id/ext-" + p.token()), 409, "customer-suppressed");
            String other = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Other")).post("/api/v1/customers")
                    .then().statusCode(201).extract().as(Json.class).get("id");
            problem(asAdmin().contentType("application/merge-patch+json").body(Map.of("phone", p.phone()))
                    .patch("/api/v1/customers/" + other), 409, "customer-suppressed");
            String job = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "matchKey", "EMAIL",
                    "mode", "UPSERT", "columns", Map.of("name", "name", "email", "email"))).post("/api/v1/imports")
                    .then().statusCode(201).extract().as(Json.class).get("id");
            asAdmin().contentType("text/csv; charset=utf-8").body(("name,email\nBack," + p.token() + "@example.com\n"
                    + "Fine,fine-" + p.token().substring(1) + "x@example.com\n").getBytes(StandardCharsets.UTF_8))
                    .put("/api/v1/imports/" + job + "/file").then().statusCode(202);
            Json imported = DataJobs.awaitFinished("/api/v1/imports/" + job);
            assertThat(imported.getInt("created")).isEqualTo(1);
            assertThat(imported.getInt("failed")).isEqualTo(1);
            assertThat(asAdmin().get("/api/v1/imports/" + job + "/errors").then().statusCode(200).extract().asString())
                    .contains("2,email,belonged to an erased customer");

            // an admin checks and lifts one value; the others stay suppressed
            Map<String, Object> contact = Map.of("email", p.token() + "@example.com", "phone", p.phone(),
                    "externalId", "ext-" + p.token());
            asAdmin().contentType(ContentType.JSON).body(contact).post("/api/v1/suppressions/check").then()
                    .statusCode(200).body(json("fields", equalTo(List.of("externalId", "email", "phone"))));
            asAdmin().contentType(ContentType.JSON).body(Map.of("email", p.token() + "@example.com"))
                    .post("/api/v1/suppressions/lift").then().statusCode(200).body(json("fields", equalTo(List.of("email"))));
            asAdmin().contentType(ContentType.JSON).body(again).post("/api/v1/customers").then().statusCode(201);
            asAdmin().contentType(ContentType.JSON).body(contact).post("/api/v1/suppressions/check").then()
                    .statusCode(200).body(json("fields", equalTo(List.of("externalId", "phone"))));
            problem(asAdmin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/suppressions/check"), 422,
                    "validation-failed");
        } finally {
            asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
        }
    }

    @Test
    void aRunningExportStartsOverWithoutTheErasedCustomer() {
        String token = "rx" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", token, "name", token)).post("/api/v1/tags").then()
                .statusCode(201);
        List<String> ids = new java.util.ArrayList<>();
        for (String name : List.of("Erased " + token, "Kept " + token)) {
            String id = asAdmin().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/customers")
                    .then().statusCode(201).extract().as(Json.class).get("id");
            asAdmin().put("/api/v1/customers/" + id + "/tags/" + token).then().statusCode(201);
            ids.add(id);
        }
        // an export another instance is running: its first page, with the customer to erase, is written
        String job = rows("INSERT INTO export_job (id, format, fields, tags, buckets, filter, masked, status, cursor_id,"
                + " rows_written, chunks, bytes, owner, lease_until, actor_type, actor_id, created_at, started_at) VALUES"
                + " (uuid_v7(), 'CSV', '{id,name}', false, '{}', jsonb_build_object('tagsAll', jsonb_build_array($1::text)),"
                + " false, 'RUNNING', '" + ids.get(0) + "', 1, 1, 40, 'elsewhere', now() + interval '1 hour', 'system',"
                + " 'test', now(), now()) RETURNING id::text", token).get(0).getString(0);
        rows("INSERT INTO export_chunk (job_id, seq, body) VALUES ($1::uuid, 0, convert_to('id,name' || chr(10) || '"
                + ids.get(0) + ",Erased " + token + "' || chr(10), 'UTF8'))", job);

        asAdmin().post("/api/v1/customers/" + ids.get(0) + "/erase").then().statusCode(200);
        Row restarted = rows("SELECT status, cursor_id, rows_written, chunks, (SELECT count(*) FROM export_chunk"
                + " WHERE job_id = j.id) FROM export_job j WHERE id = $1::uuid", job).get(0);
        assertThat(restarted.getString(0)).isEqualTo("RUNNING");
        assertThat(restarted.getUUID(1)).isNull();
        assertThat(List.of(restarted.getLong(2), (long) restarted.getInteger(3), restarted.getLong(4)))
                .containsOnly(0L);

        // the instance dies; this one takes the export over from its first page
        rows("UPDATE export_job SET lease_until = now() - interval '1 second' WHERE id = $1::uuid", job);
        assertThat(DataJobs.awaitFinished("/api/v1/exports/" + job).getString("status")).isEqualTo("SUCCEEDED");
        String file = asAdmin().get("/api/v1/exports/" + job + "/file").then().statusCode(200).extract().asString();
        assertThat(file).contains("Kept " + token).doesNotContain("Erased " + token).doesNotContain(ids.get(0));
    }

    private static io.restassured.response.ValidatableResponse problem(io.restassured.response.Response response,
            int status, String type) {
        return response.then().statusCode(status).contentType("application/problem+json")
                .body(json("type", org.hamcrest.Matchers.endsWith("/" + type)));
    }

    private static final String ERASURE_TAG = "erasure-test";

    /** A webhook endpoint that takes every event, so messages about the person are written (and fail to send). */
    private static String endpoint() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/erasure",
                "eventTypes", List.of("*"))).post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** A customer with a profile, tag, consent, events (one recorded anonymously first), touchpoint, lead, segments. */
    private Person person() {
        String token = "er" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String phone = "+86139" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        String viewed = "viewed-" + marker;
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", ERASURE_TAG, "name", "Erasure test"))
                .post("/api/v1/tags");
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", viewed, "name", "note",
                "type", "STRING")).post("/api/v1/properties").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", marker, "name", "Keen", "steps",
                List.of(Map.of("eventType", viewed)), "lead", Map.of("type", "call-back")))
                .post("/api/v1/lead-rules").then().statusCode(201);

        String id = asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", token)
                .body(Map.of("externalId", "ext-" + token, "name", "Name " + token, "email", token + "@example.com",
                        "phone", phone, "attributes", Map.of("note", "attr-" + token)))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().put("/api/v1/customers/" + id + "/tags/" + ERASURE_TAG).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_IN", "source", "form-" + token))
                .put("/api/v1/customers/" + id + "/consents/EMAIL").then().statusCode(200);
        events(Map.of("anonymousId", "anon-" + token, "type", "page", "eventId", "a-" + token, "occurredAt",
                Instant.now().toString(), "properties", Map.of("note", "anon-prop-" + token)));
        asAdmin().contentType(ContentType.JSON).body(Map.of("anonymousId", "anon-" + token, "customerId", id))
                .post("/api/v1/identify").then().statusCode(200);
        events(Map.of("customerId", id, "type", viewed, "eventId", "e-" + token, "occurredAt",
                Instant.now().toString(), "properties", Map.of("note", "prop-" + token)));
        asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", id, "channel", "EMAIL", "content",
                Map.of("body", "Hello " + token))).post("/api/v1/touchpoints").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin().queryParam("customer", id).get("/api/v1/leads")
                .then().statusCode(200).extract().as(Json.class).getList("items").size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !asAdmin().get("/api/v1/customers/" + id + "/segments")
                .then().statusCode(200).extract().as(Json.class).getList("$").isEmpty());
        return new Person(id, token, phone);
    }

    /** The JSON Pointer of every null value in {@code json}. */
    private static List<String> nullsIn(String json) {
        List<String> nulls = new java.util.ArrayList<>();
        try {
            nulls(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), "", nulls);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        return nulls;
    }

    private static void nulls(com.fasterxml.jackson.databind.JsonNode node, String at, List<String> found) {
        if (node.isNull()) {
            found.add(at);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> nulls(f.getValue(), at + "/" + f.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nulls(node.get(i), at + "/" + i, found);
            }
        }
    }

    private static void events(Map<String, Object> event) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(event))).post("/api/v1/events").then()
                .statusCode(200);
    }

    /**
     * Every table of the schema (partitions included) with the number of its rows holding {@code text} in any column:
     * a row as text, with its binary columns (stored files) decoded.
     */
    private Map<String, Long> tablesHolding(String text) {
        Map<String, Long> found = new TreeMap<>();
        for (Row table : rows("SELECT c.relname, string_agg(CASE WHEN a.atttypid = 'bytea'::regtype"
                + " THEN 'encode(t.' || quote_ident(a.attname) || ', ''escape'')' ELSE 't.' || quote_ident(a.attname)"
                + " || '::text' END, ', ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND $1 <> '' GROUP BY c.relname", text)) {
            String name = table.getString(0);
            long n = rows("SELECT count(*) FROM \"" + name + "\" t WHERE strpos(concat_ws('|', " + table.getString(1)
                    + "), $1) > 0", text).get(0).getLong(0);
            if (n > 0) {
                found.put(name, n);
            }
        }
        return found;
    }

    /** Every Redis key whose name or value holds {@code text}, with its value (the members of a collection, joined). */
    private Map<String, String> redisKeysHolding(String text) {
        Map<String, String> found = new TreeMap<>();
        for (String key : redis.key().keys("*")) {
            String type = redis.key().type(key).name();
            io.vertx.mutiny.redis.client.Response value = switch (type) {
                case "STRING" -> redis.execute("GET", key);
                case "HASH" -> redis.execute("HGETALL", key);
                case "SET" -> redis.execute("SMEMBERS", key);
                case "ZSET" -> redis.execute("ZRANGE", key, "0", "-1");
                case "LIST" -> redis.execute("LRANGE", key, "0", "-1");
                default -> null;
            };
            String shown = value == null ? "" : value.toString();
            if (key.contains(text) || shown.contains(text)) {
                found.put(key, shown);
            }
        }
        return found;
    }

    private List<Row> rows(String sql, String parameter) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().forEach(rows::add);
        return rows;
    }
}
