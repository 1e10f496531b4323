package io.headlesscrm.contract;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;

/**
 * Real responses match the committed OpenAPI document: every REST operation is called at least once with a
 * success and once with an error, and {@link OpenApiResponses} validates each response (status, media type,
 * body) as a strictly generated client would read it. The last test checks that nothing was left out, by this
 * class alone: the suite runs in two JVMs, and the classes that call an operation may run in the other.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponsesMatchOpenApiTest {

    private static final String CUSTOMERS = "/api/v1/customers";
    private static final String JSON_PATCH = "application/merge-patch+json";
    private static final OpenApiResponses VALIDATOR = OpenApiResponses.instance();
    private static List<Filter> filtersBefore;

    @BeforeAll
    static void validateEveryResponse() {
        filtersBefore = new ArrayList<>(RestAssured.filters());
        RestAssured.filters(VALIDATOR);
    }

    @AfterAll
    static void stopValidating() {
        RestAssured.replaceFiltersWith(filtersBefore);
    }

    @Test
    @Order(1)
    void customers() {
        String ext = "contract-" + UUID.randomUUID();
        String id = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "externalId", ext, "email", "ada@example.com", "attributes",
                        Map.of("tier", "gold", "score", 3)))
                .post(CUSTOMERS).then().statusCode(201).extract().as(Json.class).get("id");
        // a customer with only the required fields: every optional one is absent, none is null
        String bare = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Bare")).post(CUSTOMERS).then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().get(CUSTOMERS + "/" + bare).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Dup", "externalId", ext)).post(CUSTOMERS).then()
                .statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "email", "nope")).post(CUSTOMERS).then()
                .statusCode(422);
        asAdmin().contentType(ContentType.JSON).body("{\"name\": ").post(CUSTOMERS).then().statusCode(400);
        asAdmin().contentType(ContentType.TEXT).body("name").post(CUSTOMERS).then().statusCode(415);
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"" + "x".repeat(2_200_000) + "\"}").post(CUSTOMERS)
                .then().statusCode(413);
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("name", "No")).post(CUSTOMERS).then()
                .statusCode(403);
        given().get(CUSTOMERS + "/" + id).then().statusCode(401);

        asAdmin().get(CUSTOMERS + "/" + id).then().statusCode(200);
        asUserWith(Roles.ANALYST).get(CUSTOMERS + "/" + id).then().statusCode(200); // contact masked
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().accept(ContentType.TEXT).get(CUSTOMERS + "/" + id).then().statusCode(406);

        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"")
                .body("{\"email\": null, \"attributes\": {\"tier\": null}}").patch(CUSTOMERS + "/" + id).then()
                .statusCode(200);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("name", "Stale"))
                .patch(CUSTOMERS + "/" + id).then().statusCode(412);
        asAdmin().contentType(JSON_PATCH).body(Map.of("email", "nope")).patch(CUSTOMERS + "/" + id).then()
                .statusCode(422);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "Ghost")).patch(CUSTOMERS + "/" + UUID.randomUUID())
                .then().statusCode(404);

        String upserted = "contract-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Grace")).put(CUSTOMERS + "-by-external-id/"
                + upserted).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Grace H", "type", "ENTERPRISE"))
                .put(CUSTOMERS + "-by-external-id/" + upserted).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "X", "externalId", "other"))
                .put(CUSTOMERS + "-by-external-id/" + upserted).then().statusCode(422);
        asAdmin().get(CUSTOMERS + "-by-external-id/" + upserted).then().statusCode(200);
        asAdmin().get(CUSTOMERS + "-by-external-id/" + UUID.randomUUID()).then().statusCode(404);

        // a first page with a next cursor, then the next page by its link, then the last page
        String next = asAdmin().get(CUSTOMERS + "?limit=1&sort=-createdAt").then().statusCode(200).extract().as(Json.class).get("next");
        asAdmin().urlEncodingEnabled(false).get(next).then().statusCode(200);
        asAdmin().get(CUSTOMERS + "?externalId=" + ext).then().statusCode(200);
        asAdmin().get(CUSTOMERS + "?limit=abc").then().statusCode(400);

        asAdmin().delete(CUSTOMERS + "/" + bare).then().statusCode(204);
        asAdmin().delete(CUSTOMERS + "/" + bare).then().statusCode(404);
        asAdmin().header("If-Match", "\"0\"").delete(CUSTOMERS + "/" + id).then().statusCode(412);
    }

    @Test
    @Order(2)
    void tagsAndConsents() {
        String customer = customer();
        String key = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Contract")).post("/api/v1/tags")
                .then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Again")).post("/api/v1/tags")
                .then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "Not A Key", "name", "x")).post("/api/v1/tags")
                .then().statusCode(422);
        asAdmin().get("/api/v1/tags/" + key).then().statusCode(200);
        asAdmin().get("/api/v1/tags/no-such-" + key).then().statusCode(404);
        asAdmin().get("/api/v1/tags?limit=1").then().statusCode(200);
        asAdmin().get("/api/v1/tags?limit=0").then().statusCode(400);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"")
                .body(Map.of("category", "value", "color", "#ff8800", "description", "Contract tag"))
                .patch("/api/v1/tags/" + key).then().statusCode(200);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("name", "Stale"))
                .patch("/api/v1/tags/" + key).then().statusCode(412);
        asAdmin().contentType(JSON_PATCH).body(Map.of("color", "red")).patch("/api/v1/tags/" + key).then()
                .statusCode(422);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "x")).patch("/api/v1/tags/no-such-" + key).then()
                .statusCode(404);

        String tags = CUSTOMERS + "/" + customer + "/tags/";
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put(tags + key).then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", "2099-01-01T00:00:00Z")).put(tags + key)
                .then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", "2000-01-01T00:00:00Z")).put(tags + key)
                .then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put(tags + "no-such-" + key).then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put(CUSTOMERS + "/" + UUID.randomUUID() + "/tags/" + key)
                .then().statusCode(404);
        asAdmin().get(CUSTOMERS + "/" + customer + "/tags").then().statusCode(200);
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID() + "/tags").then().statusCode(404);
        asAdmin().delete("/api/v1/tags/" + key).then().statusCode(409);
        asAdmin().delete(tags + key).then().statusCode(204);
        asAdmin().delete(tags + key).then().statusCode(404);

        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("operation", "ASSIGN", "tags", List.of(key), "customerIds", List.of(customer)))
                .post("/api/v1/tag-assignments").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(key)))
                .post("/api/v1/tag-assignments").then().statusCode(422);
        String cancelled = cancelledJob(key);
        asAdmin().get(cancelled).then().statusCode(200);
        asAdmin().post(cancelled + "/cancel").then().statusCode(409);
        asAdmin().get("/api/v1/tag-jobs/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().post("/api/v1/tag-jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
        asAdmin().get("/api/v1/tag-jobs?limit=2").then().statusCode(200);
        asAdmin().get("/api/v1/tag-jobs?limit=abc").then().statusCode(400);
        asAdmin().delete("/api/v1/tags/" + key + "?force=true").then().statusCode(204);
        asAdmin().delete("/api/v1/tags/" + key).then().statusCode(404);

        String consents = CUSTOMERS + "/" + customer + "/consents";
        asAdmin().get(consents).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT", "source", "STOP reply"))
                .put(consents + "/SMS").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_IN")).put(consents + "/EMAIL").then()
                .statusCode(200);
        asAdmin().get(consents).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "MAYBE")).put(consents + "/SMS").then()
                .statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(Map.of("source", "form")).put(consents + "/SMS").then()
                .statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_IN")).put(consents + "/PIGEON").then()
                .statusCode(400);
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID() + "/consents").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_IN"))
                .put(CUSTOMERS + "/" + UUID.randomUUID() + "/consents/SMS").then().statusCode(404);
    }

    @Test
    @Order(3)
    void touchpoints() {
        String customer = customer();
        Map<String, Object> body = Map.of("customerId", customer, "channel", "EMAIL", "purpose", "marketing",
                "content", Map.of("subject", "Hello", "body", "Spring sale"), "idempotencyKey",
                UUID.randomUUID().toString());
        String id = asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/touchpoints").then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/touchpoints").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT")).put(CUSTOMERS + "/" + customer
                + "/consents/SMS").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customer, "channel", "SMS", "content",
                Map.of("templateId", "sale"))).post("/api/v1/touchpoints").then().statusCode(201); // SUPPRESSED
        asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", UUID.randomUUID(), "channel", "SMS",
                "content", Map.of("body", "x"))).post("/api/v1/touchpoints").then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("customerId", customer,
                "channel", "APP_PUSH", "content", Map.of("body", "x"))))).post("/api/v1/touchpoints/batch").then()
                .statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of())).post("/api/v1/touchpoints/batch")
                .then().statusCode(422);

        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "SENT")).post("/api/v1/touchpoints/" + id
                + "/status").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "FAILED")).post("/api/v1/touchpoints/" + id
                + "/status").then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "SENT")).post("/api/v1/touchpoints/"
                + UUID.randomUUID() + "/status").then().statusCode(404);
        asAdmin().get("/api/v1/touchpoints/" + id).then().statusCode(200);
        asAdmin().get("/api/v1/touchpoints/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get("/api/v1/touchpoints?limit=2&customerId=" + customer).then().statusCode(200);
        asAdmin().get("/api/v1/touchpoints?channel=PIGEON").then().statusCode(400);
    }

    @Test
    @Order(3)
    void events() {
        String customer = customer();
        String now = java.time.Instant.now().toString();
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("eventId", "e1", "type", "order",
                "customerId", customer, "occurredAt", now, "properties", Map.of("amount", 10), "items",
                List.of(Map.of("sku", "A", "price", 10, "quantity", 1)), "context", Map.of("channel", "web")),
                Map.of("eventId", "e2", "type", "view")))).post("/api/v1/events").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of())).post("/api/v1/events").then()
                .statusCode(422);
        asAdmin().get(CUSTOMERS + "/" + customer + "/events?type=order&limit=1").then().statusCode(200);
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID() + "/events").then().statusCode(404);
        asAdmin().get(CUSTOMERS + "/" + customer + "/events?from=yesterday").then().statusCode(400);
        byte[] lines = ("{\"eventId\": \"s1\", \"type\": \"view\", \"customerId\": \"" + customer
                + "\", \"occurredAt\": \"" + now + "\"}\nnot json\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        asAdmin().contentType("application/x-ndjson").body(lines).post("/api/v1/events/stream").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/events/stream").then().statusCode(415);
        String anonymous = UUID.randomUUID().toString();
        asAdmin().contentType(ContentType.JSON).body(Map.of("anonymousId", anonymous, "customerId", customer))
                .post("/api/v1/identify").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("anonymousId", anonymous, "customerId", customer()))
                .post("/api/v1/identify").then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("anonymousId", anonymous, "customerId", UUID.randomUUID()))
                .post("/api/v1/identify").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("anonymousId", anonymous)).post("/api/v1/identify").then()
                .statusCode(422);
    }

    @Test
    @Order(3)
    void properties() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "");
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", "order", "name",
                name, "type", "ENUM", "values", List.of("a", "b"), "description", "d")).post("/api/v1/properties").then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", "order", "name", name,
                "type", "STRING")).post("/api/v1/properties").then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "name", name, "type", "ENUM"))
                .post("/api/v1/properties").then().statusCode(422);
        asAdmin().get("/api/v1/properties?scope=EVENT&eventType=order").then().statusCode(200);
        asAdmin().get("/api/v1/properties?scope=NOPE").then().statusCode(400);
        asAdmin().get("/api/v1/properties/" + id).then().statusCode(200);
        asAdmin().get("/api/v1/properties/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().delete("/api/v1/properties/" + id).then().statusCode(204);
        asAdmin().delete("/api/v1/properties/" + id).then().statusCode(404);
    }

    @Test
    @Order(3)
    void segmentPreview() {
        customer();
        asAdmin().contentType(ContentType.JSON).body(Map.of("condition", Map.of("and", List.of(Map.of("attr", "name",
                "op", "exists"), Map.of("attr", "createdAt", "op", "within", "value", "P1D"))))).post(
                "/api/v1/segments/preview").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("condition", Map.of("or", List.of(Map.of("attr", "nope",
                "op", "eq", "value", 1))))).post("/api/v1/segments/preview").then().statusCode(422);
    }

    @Test
    @Order(3)
    void segments() {
        String key = "s-" + UUID.randomUUID();
        Map<String, Object> condition = Map.of("attr", "type", "op", "eq", "value", "ENTERPRISE");
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "S", "description", "d",
                "condition", condition)).post("/api/v1/segments").then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "S", "condition", condition))
                .post("/api/v1/segments").then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "x-" + key, "name", "S", "condition",
                Map.of("segment", "nope"))).post("/api/v1/segments").then().statusCode(422);
        String dimension = asAdmin().contentType(ContentType.JSON).body(Map.of("key", "d-" + key, "name", "D",
                "buckets", List.of(Map.of("key", "in", "name", "In", "condition", Map.of("segment", key)),
                        Map.of("key", "out", "name", "Out")))).post("/api/v1/dimensions").then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "e-" + key, "name", "D", "buckets",
                List.of(Map.of("key", "in", "name", "In")))).post("/api/v1/dimensions").then().statusCode(422);
        asAdmin().get("/api/v1/segments?kind=AUDIENCE&limit=2").then().statusCode(200);
        asAdmin().get("/api/v1/dimensions?limit=2").then().statusCode(200);
        asAdmin().get("/api/v1/dimensions?cursor=forged").then().statusCode(400);
        asAdmin().get("/api/v1/segments?kind=NOPE").then().statusCode(400);
        asAdmin().get("/api/v1/segments/" + dimension).then().statusCode(200);
        asAdmin().get("/api/v1/segments/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("name", "T"))
                .patch("/api/v1/segments/" + id).then().statusCode(200);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("name", "U"))
                .patch("/api/v1/segments/" + id).then().statusCode(412);
        asAdmin().contentType(JSON_PATCH).body(Map.of("condition", Map.of("segment", "d-" + key, "bucket", "in")))
                .patch("/api/v1/segments/" + id).then().statusCode(422);
        asAdmin().get("/api/v1/segments/" + dimension + "/members?bucket=in&limit=2").then().statusCode(200);
        asAdmin().get("/api/v1/segments/" + dimension + "/members?bucket=nope").then().statusCode(422);
        asAdmin().get("/api/v1/segments/" + dimension + "/counts?from=2026-01-01&to=2026-01-31").then().statusCode(200);
        asAdmin().get("/api/v1/segments/" + dimension + "/counts").then().statusCode(200);
        asAdmin().get("/api/v1/segments/" + dimension + "/counts?from=yesterday").then().statusCode(400);
        asAdmin().get("/api/v1/segments/" + UUID.randomUUID() + "/counts").then().statusCode(404);
        asAdmin().get("/api/v1/segments/" + UUID.randomUUID() + "/members").then().statusCode(404);
        String customer = customer(); // placed in a bucket of every built-in dimension by the upkeep
        Waits.eventually().until(() -> !asAdmin().get(CUSTOMERS + "/" + customer + "/segments").then().statusCode(200)
                .extract().as(Json.class).getList("$").isEmpty());
        asAdmin().get(CUSTOMERS + "/" + customer + "/segments").then().statusCode(200)
                .body(json("key", org.hamcrest.Matchers.hasItem("lifecycle")));
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID() + "/segments").then().statusCode(404);
        asAdmin().delete("/api/v1/segments/" + id).then().statusCode(409);
        asAdmin().delete("/api/v1/segments/" + dimension).then().statusCode(204);
        asAdmin().delete("/api/v1/segments/" + id).then().statusCode(204);
        asAdmin().delete("/api/v1/segments/" + id).then().statusCode(404);
    }

    @Test
    @Order(4)
    void webhooks() {
        String endpoints = "/api/v1/webhook-endpoints";
        // nothing listens on port 9: deliveries fail and are retried, the messages stay to be read
        String id = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/contract", "eventTypes", List.of("customer.created", "customer.deleted")))
                .post(endpoints).then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("url", "ftp://127.0.0.1/x", "eventTypes", List.of("*")))
                .post(endpoints).then().statusCode(422);
        asAdmin().get(endpoints + "/" + id).then().statusCode(200);
        asAdmin().get(endpoints + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(endpoints + "?limit=2").then().statusCode(200);
        asAdmin().get(endpoints + "?limit=-1").then().statusCode(400);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("description", "Contract",
                "rateLimitPerSecond", 5)).patch(endpoints + "/" + id).then().statusCode(200);
        asAdmin().contentType(JSON_PATCH).header("If-Match", "\"0\"").body(Map.of("enabled", false))
                .patch(endpoints + "/" + id).then().statusCode(412);
        asAdmin().contentType(JSON_PATCH).body(Map.of("url", "http://192.168.0.10/hook")).patch(endpoints + "/" + id)
                .then().statusCode(422);
        asAdmin().post(endpoints + "/" + id + "/rotate-secret?graceSeconds=60").then().statusCode(200);
        asAdmin().get(endpoints + "/" + id).then().statusCode(200); // with previousSecretUntil
        asAdmin().post(endpoints + "/" + id + "/rotate-secret?graceSeconds=999999999").then().statusCode(422);

        // webhook bodies follow the same null rule: a customer without email or externalId has none in its events
        String bare = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Bare")).post(CUSTOMERS).then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().delete(CUSTOMERS + "/" + bare).then().statusCode(204);
        // messages are written in the transaction of the change, newest first
        List<String> messages = asAdmin().get(endpoints + "/" + id + "/messages?limit=2").then().statusCode(200)
                .body(json("items.eventType", equalTo(List.of("customer.deleted", "customer.created")))).extract()
                .as(Json.class).get("items.id");
        asAdmin().get("/api/v1/webhook-messages/" + messages.get(0)).then().statusCode(200)
                .body(json("payload.data", equalTo(Map.of("id", bare))));
        asAdmin().get("/api/v1/webhook-messages/" + messages.get(1)).then().statusCode(200)
                .body(json("payload.data.id", equalTo(bare))).body(json("payload.data", not(hasKey("email"))))
                .body(json("payload.data", not(hasKey("externalId"))));
        String message = messages.get(1);
        asAdmin().get(endpoints + "/" + UUID.randomUUID() + "/messages").then().statusCode(404);
        asAdmin().get("/api/v1/webhook-messages/" + message).then().statusCode(200);
        asAdmin().get("/api/v1/webhook-messages/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().post("/api/v1/webhook-messages/" + message + "/resend").then().statusCode(202);
        asAdmin().post("/api/v1/webhook-messages/" + UUID.randomUUID() + "/resend").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("since", Instant.now().minusSeconds(3600).toString()))
                .post(endpoints + "/" + id + "/recover").then().statusCode(202);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post(endpoints + "/" + id + "/recover").then()
                .statusCode(422);
        asAdmin().contentType(JSON_PATCH).body(Map.of("enabled", false)).patch(endpoints + "/" + id).then()
                .statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("since", Instant.now().minusSeconds(3600).toString()))
                .post(endpoints + "/" + id + "/recover").then().statusCode(409);
        asAdmin().delete(endpoints + "/" + id).then().statusCode(204);
        asAdmin().delete(endpoints + "/" + id).then().statusCode(404);
    }

    @Test
    @Order(3)
    void leads() {
        String rules = "/api/v1/lead-rules";
        String type = "contract-lead-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", type, "name", "sku",
                "type", "STRING")).post("/api/v1/properties").then().statusCode(201);
        Map<String, Object> rule = Map.of("key", type, "name", "Contract", "steps", List.of(Map.of("eventType", type)),
                "lead", Map.of("type", "contract", "priority", "HIGH", "score", 70), "cooldown", "PT1H");
        String id = asAdmin().contentType(ContentType.JSON).body(rule).post(rules).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(rule).post(rules).then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "x-" + type, "name", "C", "steps",
                List.of(Map.of("eventType", "never-declared")), "lead", Map.of("type", "t"))).post(rules).then()
                .statusCode(422);
        asAdmin().get(rules + "?limit=2").then().statusCode(200);
        asAdmin().get(rules + "?active=perhaps").then().statusCode(400);
        asAdmin().get(rules + "/" + id).then().statusCode(200);
        asAdmin().get(rules + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(rules + "/" + id + "/stats").then().statusCode(200);
        asAdmin().get(rules + "/" + UUID.randomUUID() + "/stats").then().statusCode(404);
        asAdmin().contentType(JSON_PATCH).body(Map.of("description", "d")).patch(rules + "/" + id).then().statusCode(200);
        asAdmin().contentType(JSON_PATCH).body(Map.of("key", "other")).patch(rules + "/" + id).then().statusCode(409);

        String customer = customer();
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("customerId", customer, "type", type,
                "eventId", UUID.randomUUID().toString(), "occurredAt", Instant.now().toString(), "properties",
                Map.of("sku", "x"))))).post("/api/v1/events").then().statusCode(200);
        String[] lead = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            List<String> ids = asAdmin().get("/api/v1/leads?customer=" + customer).then().statusCode(200).extract()
                    .as(Json.class).getList("items.id");
            lead[0] = ids.isEmpty() ? null : ids.get(0);
            return lead[0] != null;
        });
        String teams = "/api/v1/sales-teams";
        String team = asAdmin().contentType(ContentType.JSON).body(Map.of("key", type, "name", "Contract", "reps",
                List.of(Map.of("actorId", "rep-contract", "territory", "north", "maxOpenLeads", 5)))).post(teams).then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", type, "name", "Again", "reps", List.of())).post(teams)
                .then().statusCode(409);
        asAdmin().get(teams + "?limit=2").then().statusCode(200);
        asAdmin().get(teams + "?limit=0").then().statusCode(400);
        asAdmin().get(teams + "/" + team).then().statusCode(200);
        asAdmin().get(teams + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "Renamed")).patch(teams + "/" + team).then().statusCode(200);
        asAdmin().contentType(JSON_PATCH).body(Map.of("reps", "none")).patch(teams + "/" + team).then().statusCode(400);
        String assignment = "/api/v1/lead-assignment-rules";
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "name", "territory", "type", "STRING"))
                .post("/api/v1/properties"); // a TERRITORY rule reads a declared attribute (201, or 409: declared before)
        Map<String, Object> byRule = Map.of("key", type, "name", "Contract", "team", type, "strategy", "TERRITORY",
                "territoryAttribute", "territory", "when", Map.of("rules", List.of(type), "priorities", List.of("HIGH")));
        String assigner = asAdmin().contentType(ContentType.JSON).body(byRule).post(assignment).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(byRule).post(assignment).then().statusCode(409);
        asAdmin().get(assignment + "?limit=2").then().statusCode(200);
        asAdmin().get(assignment + "?cursor=forged").then().statusCode(400);
        asAdmin().get(assignment + "/" + assigner).then().statusCode(200);
        asAdmin().get(assignment + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "Renamed")).patch(assignment + "/" + assigner).then()
                .statusCode(200);
        asAdmin().contentType(JSON_PATCH).body(Map.of("team", "nope")).patch(assignment + "/" + assigner).then()
                .statusCode(422);
        asAdmin().delete(teams + "/" + team).then().statusCode(409);
        asAdmin().delete(assignment + "/" + assigner).then().statusCode(204);
        asAdmin().delete(assignment + "/" + assigner).then().statusCode(404);

        String leads = "/api/v1/leads";
        asAdmin().get(leads + "?status=NOPE").then().statusCode(400);
        asAdmin().get(leads + "/" + lead[0]).then().statusCode(200);
        asAdmin().get(leads + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(leads + "/" + lead[0] + "/history").then().statusCode(200);
        asAdmin().get(leads + "/" + UUID.randomUUID() + "/history").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "CONTACTED")).post(leads + "/" + lead[0] + "/status")
                .then().statusCode(409);
        asAdmin().contentType(ContentType.JSON).body(Map.of("assignee", "rep-contract")).post(leads + "/" + lead[0]
                + "/assign").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("assignee", "")).post(leads + "/" + lead[0] + "/assign")
                .then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "CONTACTED", "note", "called"))
                .post(leads + "/" + lead[0] + "/status").then().statusCode(200);
        asAdmin().delete(rules + "/" + id).then().statusCode(204);
        asAdmin().delete(rules + "/" + id).then().statusCode(404);
        asAdmin().delete(teams + "/" + team).then().statusCode(204);
        asAdmin().delete(teams + "/" + team).then().statusCode(404);
    }

    @Test
    @Order(5)
    void apiKeysAuditAndIdentity() {
        String keys = "/api/v1/api-keys";
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "contract", "roles",
                List.of(Roles.PARTNER), "expiresAt", "2099-01-01T00:00:00Z")).post(keys).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "contract", "roles", List.of("crm-root")))
                .post(keys).then().statusCode(422);
        asAdmin().get(keys + "/" + id).then().statusCode(200);
        asAdmin().get(keys + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(keys + "?limit=3").then().statusCode(200);
        asAdmin().get(keys + "?limit=x").then().statusCode(400);
        asAdmin().delete(keys + "/" + id).then().statusCode(204);
        asAdmin().get(keys + "/" + id).then().statusCode(200); // revoked
        asAdmin().delete(keys + "/" + UUID.randomUUID()).then().statusCode(404);

        asAdmin().get("/api/v1/audit-log?limit=5").then().statusCode(200);
        asAdmin().get("/api/v1/audit-log?entity=customer&action=update&limit=5").then().statusCode(200);
        asAdmin().get("/api/v1/audit-log?from=yesterday").then().statusCode(400);

        asAdmin().get("/api/v1/me").then().statusCode(200);
        asUserWith(Roles.SALES).get("/api/v1/me").then().statusCode(200);
        given().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    @Order(6)
    void importsAndExports() {
        String imports = "/api/v1/imports";
        Map<String, Object> definition = Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT",
                "columns", Map.of("id", "externalId", "name", "name"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV")).post(imports).then().statusCode(422);
        String job = asAdmin().contentType(ContentType.JSON).body(definition).post(imports).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType("application/x-ndjson").body("{}\n".getBytes(StandardCharsets.UTF_8)).put(imports + "/" + job + "/file").then()
                .statusCode(415);
        asAdmin().contentType("text/csv").body("id,name\ncontract-" + UUID.randomUUID() + ",Contract\n")
                .put(imports + "/" + job + "/file").then().statusCode(202);
        asAdmin().get(imports + "/" + job).then().statusCode(200);
        asAdmin().get(imports + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(imports + "?limit=2").then().statusCode(200);
        asAdmin().get(imports + "?limit=0").then().statusCode(400);
        asAdmin().get(imports + "/" + job + "/errors").then().statusCode(200);
        asAdmin().get(imports + "/" + UUID.randomUUID() + "/errors").then().statusCode(404);
        String other = asAdmin().contentType(ContentType.JSON).body(definition).post(imports).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().post(imports + "/" + other + "/cancel").then().statusCode(200);
        asAdmin().post(imports + "/" + other + "/cancel").then().statusCode(409);

        String exports = "/api/v1/exports";
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "fields", List.of("password"))).post(exports)
                .then().statusCode(422);
        String export = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "NDJSON", "filter",
                Map.of("externalId", "contract-none"))).post(exports).then().statusCode(202).extract().as(Json.class).get("id");
        asAdmin().get(exports + "/" + UUID.randomUUID() + "/file").then().statusCode(404);
        awaitStatus(exports + "/" + export, "SUCCEEDED");
        asAdmin().get(exports + "/" + export + "/file").then().statusCode(200);
        asAdmin().get(exports + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(exports + "?limit=2").then().statusCode(200);
        asAdmin().get(exports + "?cursor=forged").then().statusCode(400);
        asAdmin().post(exports + "/" + export + "/cancel").then().statusCode(409);
        asAdmin().post(exports + "/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
        int cancelled = 0;
        for (int i = 0; i < 5 && cancelled != 200; i++) { // an export of everyone, two per page here: cancelled midway
            String all = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV")).post(exports).then()
                    .statusCode(202).extract().as(Json.class).get("id");
            cancelled = asAdmin().post(exports + "/" + all + "/cancel").then().extract().statusCode();
        }
        assertThat(cancelled).isEqualTo(200);
    }

    @Test
    @Order(7)
    void duplicatesMergesAndPrivacy() {
        // customers without contact data: erasing one suppresses nothing the other checks create
        String keep = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Contract keep")).post(CUSTOMERS)
                .then().statusCode(201).extract().as(Json.class).get("id");
        String merged = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Contract merged")).post(CUSTOMERS)
                .then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().get("/api/v1/customer-duplicates?limit=2").then().statusCode(200);
        asAdmin().get("/api/v1/customer-duplicates?cursor=forged").then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(Map.of("mergeId", keep)).post(CUSTOMERS + "/" + keep + "/merge")
                .then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(Map.of("mergeId", merged)).post(CUSTOMERS + "/" + keep + "/merge")
                .then().statusCode(200);
        asAdmin().redirects().follow(false).get(CUSTOMERS + "/" + merged + "/tags").then().statusCode(308)
                .header("Location", org.hamcrest.Matchers.endsWith(CUSTOMERS + "/" + keep + "/tags"));
        asAdmin().redirects().follow(false).post(CUSTOMERS + "/" + merged + "/erase").then().statusCode(308);
        asAdmin().redirects().follow(false).get(CUSTOMERS + "/" + merged + "/export").then().statusCode(308);
        asAdmin().redirects().follow(false).contentType(ContentType.JSON).body(Map.of("mergeId", keep))
                .post(CUSTOMERS + "/" + merged + "/merge").then().statusCode(308);
        asAdmin().get(CUSTOMERS + "/" + keep + "/export").then().statusCode(200);
        asAdmin().get(CUSTOMERS + "/" + UUID.randomUUID() + "/export").then().statusCode(404);
        asAdmin().post(CUSTOMERS + "/" + keep + "/erase").then().statusCode(200);
        asAdmin().post(CUSTOMERS + "/" + keep + "/erase").then().statusCode(410);
        Map<String, Object> contact = Map.of("email", "contract-" + UUID.randomUUID() + "@example.com");
        asAdmin().contentType(ContentType.JSON).body(contact).post("/api/v1/suppressions/check").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/suppressions/check").then().statusCode(422);
        asAdmin().contentType(ContentType.JSON).body(contact).post("/api/v1/suppressions/lift").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/suppressions/lift").then().statusCode(422);
    }

    @Test
    @Order(8)
    void campaigns() {
        String campaigns = "/api/v1/campaigns";
        String tag = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "Contract")).post("/api/v1/tags")
                .then().statusCode(201);
        String customer = Fixtures.customer("+8613500000001", null);
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put(CUSTOMERS + "/" + customer + "/tags/" + tag).then()
                .statusCode(201);
        Map<String, Object> definition = new HashMap<>(Map.of("name", "Contract", "goal", "test", "channel", "SMS",
                "audience", Map.of("include", List.of(Map.of("tag", tag))),
                "variants", List.of(Map.of("key", "only", "content", Map.of("body", "Hi"))),
                "schedule", Map.of("type", "NOW")));
        String sent = asAdmin().contentType(ContentType.JSON).body(definition).post(campaigns).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "No channel")).post(campaigns).then()
                .statusCode(422);
        asAdmin().get(campaigns + "?limit=1").then().statusCode(200);
        asAdmin().get(campaigns + "?limit=0").then().statusCode(400);
        asAdmin().get(campaigns + "/" + sent).then().statusCode(200);
        asAdmin().get(campaigns + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "Contract renamed")).patch(campaigns + "/" + sent).then()
                .statusCode(200);
        asAdmin().contentType(JSON_PATCH).body(Map.of("name", "Ghost")).patch(campaigns + "/" + UUID.randomUUID())
                .then().statusCode(404);
        asAdmin().post(campaigns + "/" + sent + "/dry-run").then().statusCode(200);
        asAdmin().post(campaigns + "/" + UUID.randomUUID() + "/dry-run").then().statusCode(404);
        asAdmin().post(campaigns + "/" + sent + "/schedule").then().statusCode(200);
        asAdmin().post(campaigns + "/" + sent + "/schedule").then().statusCode(409);
        awaitStatus(campaigns + "/" + sent, "COMPLETED");
        String run = asAdmin().get(campaigns + "/" + sent + "/runs").then().statusCode(200).extract().as(Json.class)
                .get("items[0].id");
        asAdmin().get(campaigns + "/" + UUID.randomUUID() + "/runs").then().statusCode(404);
        asAdmin().get(campaigns + "/" + sent + "/runs/" + run).then().statusCode(200);
        asAdmin().get(campaigns + "/" + sent + "/runs/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(campaigns + "/" + sent + "/runs/" + run + "/recipients/" + customer).then().statusCode(200);
        asAdmin().get(campaigns + "/" + sent + "/runs/" + run + "/recipients/" + UUID.randomUUID()).then()
                .statusCode(404);
        asAdmin().get(campaigns + "/" + sent + "/report").then().statusCode(200);
        asAdmin().get(campaigns + "/" + UUID.randomUUID() + "/report").then().statusCode(404);
        asAdmin().post(campaigns + "/" + sent + "/report/recompute").then().statusCode(202);
        asAdmin().post(campaigns + "/" + UUID.randomUUID() + "/report/recompute").then().statusCode(404);

        // held by quiet hours around now, a started campaign waits: it can be paused, resumed and cancelled
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        definition.put("quietHours", Map.of("start", now.minusHours(1).toString(), "end", now.plusHours(1).toString()));
        String held = asAdmin().contentType(ContentType.JSON).body(definition).post(campaigns).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().post(campaigns + "/" + held + "/pause").then().statusCode(409);
        asAdmin().post(campaigns + "/" + held + "/schedule").then().statusCode(200);
        awaitStatus(campaigns + "/" + held, "RUNNING");
        asAdmin().post(campaigns + "/" + held + "/pause").then().statusCode(200);
        asAdmin().post(campaigns + "/" + held + "/resume").then().statusCode(200);
        asAdmin().post(campaigns + "/" + held + "/resume").then().statusCode(409);
        asAdmin().delete(campaigns + "/" + held).then().statusCode(409);
        asAdmin().post(campaigns + "/" + held + "/cancel").then().statusCode(200);
        asAdmin().post(campaigns + "/" + held + "/cancel").then().statusCode(409);
        asAdmin().delete(campaigns + "/" + held).then().statusCode(204);
        asAdmin().delete(campaigns + "/" + held).then().statusCode(404);
    }

    @Test
    @Order(100)
    void everyOperationWasCheckedWithASuccessAndAnError() {
        Set<String> missing = new TreeSet<>();
        for (String operation : VALIDATOR.operationIds()) {
            if (VALIDATOR.checked().stream().noneMatch(c -> c.matches(operation + " 2\\d\\d"))) {
                missing.add(operation + " 2xx");
            }
            if (VALIDATOR.checked().stream().noneMatch(c -> c.matches(operation + " [45]\\d\\d"))) {
                missing.add(operation + " error");
            }
        }
        assertThat(missing).as("operations of openapi.yaml whose responses no test checked").isEmpty();
        System.out.printf("Responses checked against openapi.yaml: %d, over %d operations and %d (operation, status)"
                + " pairs%n", VALIDATOR.responses(), VALIDATOR.operationIds().size(), VALIDATOR.checked().size());
    }

    /** Waits until the resource at {@code location} (a job, a campaign) has {@code status}. */
    private static void awaitStatus(String location, String status) {
        Waits.eventually().until(() -> status.equals(asAdmin().get(location).then().statusCode(200)
                .extract().as(Json.class).get("status")));
    }

    private static String customer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Contract", "email", "c@example.com"))
                .post(CUSTOMERS).then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** A bulk job over a filter, cancelled before it finished; its location. Tries again if one finished first. */
    private static String cancelledJob(String key) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String location = asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("operation", "ASSIGN", "tags", List.of(key), "filter", Map.of()))
                    .post("/api/v1/tag-assignments").then().statusCode(202).extract().header("Location");
            if (asAdmin().post(location + "/cancel").statusCode() == 200) {
                return location;
            }
        }
        throw new AssertionError("every tag job finished before it could be cancelled");
    }
}
