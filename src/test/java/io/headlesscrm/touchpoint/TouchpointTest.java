package io.headlesscrm.touchpoint;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Fixtures.customer;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Touchpoints: creation, consent, idempotency, the status lifecycle with partner reports, listing, bad input. */
@QuarkusTest
class TouchpointTest {

    private static final String TOUCHPOINTS = "/api/v1/touchpoints";

    @Inject
    Pool pool;

    @Test
    void createsAQueuedTouchpointWithItsHistoryAndOutboxMessage() {
        String endpoint = endpoint(List.of("touchpoint.*"));
        String customer = customer("+8613800000002", "tp@example.com");
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customer, "channel", "SMS",
                "purpose", "marketing", "content", Map.of("templateId", "spring-sale", "variables", Map.of("name", "Li"))))
                .post(TOUCHPOINTS).then().statusCode(201).header("Location", containsString(TOUCHPOINTS + "/"))
                .body(json("status", equalTo("QUEUED"))).body(json("source", equalTo("MANUAL")))
                .body(json("content.variables.name", equalTo("Li"))).extract().as(Json.class).get("id");
        String shown = asAdmin().get(TOUCHPOINTS + "/" + id).then().statusCode(200).body(json("customerId", equalTo(customer)))
                .body(json("history.status", equalTo(List.of("QUEUED")))).extract().asString();
        assertThat(messages(endpoint, "touchpoint.created")).isEqualTo(1);

        // the message, rendered when it is first sent and kept, shows the touchpoint as the API does and whom it reaches
        Map<String, Object> body = map(Json.of(Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pool
                .preparedQuery("SELECT body FROM webhook_message WHERE endpoint_id = $1")
                .execute(Tuple.of(UUID.fromString(endpoint))).await().indefinitely().iterator().next().getString(0),
                b -> b != null)).get("$"));
        assertThat(body).containsEntry("type", "touchpoint.created").containsKeys("timestamp", "data");
        assertThat(Instant.parse((String) body.get("timestamp"))).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        Map<String, Object> data = map(body.get("data"));
        Map<String, Object> api = map(Json.of(shown).get("$"));
        api.remove("history");
        Map<String, Object> sent = map(data.get("touchpoint"));
        assertThat(sent).isEqualTo(api);
        assertThat(map(data.get("recipient"))).containsEntry("customerId", customer)
                .containsEntry("phone", "+8613800000002").containsEntry("email", "tp@example.com");
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstTouchpoint() {
        String customer = customer(null, "idem@example.com");
        Map<String, Object> body = touchpoint(customer, "EMAIL");
        String key = "tp-" + UUID.randomUUID();
        String first = asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(TOUCHPOINTS)
                .then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(TOUCHPOINTS)
                .then().statusCode(200).body(json("id", equalTo(first)));
        Map<String, Object> inBody = new HashMap<>(body);
        inBody.put("idempotencyKey", key);
        asAdmin().contentType(ContentType.JSON).body(inBody).post(TOUCHPOINTS).then().statusCode(200).body(json("id", equalTo(first)));
        asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(touchpoint(customer, "APP_PUSH"))
                .post(TOUCHPOINTS).then().statusCode(422).body(json("type", endsWith("idempotency-key-reused")));
        assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id::text = $1", customer)).isEqualTo(1);
    }

    @Test
    void optOutsAndMissingContactsSuppressTheTouchpoint() {
        String endpoint = endpoint(List.of("touchpoint.created"));
        String customer = customer("+8613800000003", null);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT", "source", "STOP reply"))
                .put("/api/v1/customers/" + customer + "/consents/SMS").then().statusCode(200)
                .body(json("status", equalTo("OPTED_OUT")));
        asAdmin().get("/api/v1/customers/" + customer + "/consents").then().statusCode(200)
                .body(json("channel", equalTo(List.of("SMS")))).body(json("source", equalTo(List.of("STOP reply"))));

        asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, "SMS")).post(TOUCHPOINTS).then().statusCode(201)
                .body(json("status", equalTo("SUPPRESSED"))).body(json("statusReason", startsWith("opted-out")));
        asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, "EMAIL")).post(TOUCHPOINTS).then().statusCode(201)
                .body(json("status", equalTo("SUPPRESSED"))).body(json("statusReason", startsWith("no-email")));
        asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, "SMART_CALL")).post(TOUCHPOINTS).then()
                .statusCode(201).body(json("status", equalTo("QUEUED")));
        // opting in again lifts it
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_IN"))
                .put("/api/v1/customers/" + customer + "/consents/SMS").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, "SMS")).post(TOUCHPOINTS).then().statusCode(201)
                .body(json("status", equalTo("QUEUED")));
        // only the two queued ones go out
        assertThat(messages(endpoint, "touchpoint.created")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'customer-consent' AND entity_id = $1",
                customer + "/SMS")).isEqualTo(2);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "MAYBE"))
                .put("/api/v1/customers/" + customer + "/consents/SMS").then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT"))
                .put("/api/v1/customers/" + customer + "/consents/PIGEON").then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT"))
                .put("/api/v1/customers/" + UUID.randomUUID() + "/consents/SMS").then().statusCode(404);
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }

    @Test
    void partnersMoveTheTouchpointAlongAndLateOrDuplicateReportsAreHarmless() {
        String endpoint = endpoint(List.of("touchpoint.status_changed"));
        String id = create(customer(null, "life@example.com"), "EMAIL");
        var partner = asUserWith(Roles.PARTNER);
        report(id, "SENT").then().statusCode(200).body(json("outcome", equalTo("APPLIED"))).body(json("touchpoint.status", equalTo("SENT")));
        report(id, "SENT").then().statusCode(200).body(json("outcome", equalTo("DUPLICATE")));
        partner.contentType(ContentType.JSON).body(Map.of("status", "CLICKED")).post(TOUCHPOINTS + "/" + id + "/status")
                .then().statusCode(200).body(json("outcome", equalTo("APPLIED"))).body(json("touchpoint.status", equalTo("CLICKED")));
        // delivered and opened arrive after the click: kept in the history, the status stays
        report(id, "DELIVERED").then().statusCode(200).body(json("outcome", equalTo("LATE"))).body(json("touchpoint.status", equalTo("CLICKED")));
        report(id, "OPENED").then().statusCode(200).body(json("outcome", equalTo("LATE")));
        report(id, "OPENED").then().statusCode(200).body(json("outcome", equalTo("DUPLICATE")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "FAILED", "reason", "bounced"))
                .post(TOUCHPOINTS + "/" + id + "/status").then().statusCode(409).body(json("type", endsWith("illegal-transition")));
        report(id, "CONVERTED").then().statusCode(200).body(json("outcome", equalTo("APPLIED")));
        asAdmin().get(TOUCHPOINTS + "/" + id).then().body(json("status", equalTo("CONVERTED")))
                .body(json("history.status", equalTo(List.of("QUEUED", "SENT", "CLICKED", "DELIVERED", "OPENED", "CONVERTED"))));
        // one status_changed event per applied change, none for duplicates, late ones or rejections
        assertThat(messages(endpoint, "touchpoint.status_changed")).isEqualTo(3);
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }

    @Test
    void aFailedTouchpointTakesNoDeliveryAndASuppressedOneNoReport() {
        String id = create(customer(null, "fail@example.com"), "EMAIL");
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "FAILED")).post(TOUCHPOINTS + "/" + id + "/status")
                .then().statusCode(422).body(json("errors[0].field", equalTo("reason")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "FAILED", "reason", "mailbox full"))
                .post(TOUCHPOINTS + "/" + id + "/status").then().statusCode(200).body(json("touchpoint.statusReason", equalTo("mailbox full")));
        report(id, "SENT").then().statusCode(200).body(json("outcome", equalTo("LATE")));
        report(id, "DELIVERED").then().statusCode(409);
        report(id, "QUEUED").then().statusCode(422);
        report(UUID.randomUUID().toString(), "SENT").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "SENT", "occurredAt", "2999-01-01T00:00:00Z"))
                .post(TOUCHPOINTS + "/" + id + "/status").then().statusCode(422).body(json("errors[0].field", equalTo("occurredAt")));

        String customer = customer(null, null);
        String suppressed = asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, "EMAIL")).post(TOUCHPOINTS)
                .then().statusCode(201).body(json("status", equalTo("SUPPRESSED"))).extract().as(Json.class).get("id");
        report(suppressed, "SENT").then().statusCode(409);
    }

    @Test
    void listsByCustomerChannelStatusAndTimeNewestFirst() {
        String customer = customer("+8613800000004", "list@example.com");
        String sms = create(customer, "SMS");
        String email = create(customer, "EMAIL");
        String push = create(customer, "APP_PUSH");
        report(email, "SENT").then().statusCode(200);
        asAdmin().get(TOUCHPOINTS + "?customerId=" + customer).then().statusCode(200).body(json("items.id", equalTo(List.of(push, email, sms))));
        asAdmin().get(TOUCHPOINTS + "?customerId=" + customer + "&channel=sms").then().body(json("items.id", equalTo(List.of(sms))));
        asAdmin().get(TOUCHPOINTS + "?customerId=" + customer + "&status=SENT").then().body(json("items.id", equalTo(List.of(email))));
        asAdmin().get(TOUCHPOINTS + "?customerId=" + customer + "&createdFrom=2999-01-01T00:00:00Z").then().body(json("items", hasSize(0)));
        String next = asAdmin().get(TOUCHPOINTS + "?customerId=" + customer + "&limit=2").then().body(json("items.id", equalTo(List.of(push, email))))
                .extract().as(Json.class).get("nextCursor");
        asAdmin().get(TOUCHPOINTS + "?customerId=" + customer + "&limit=2&cursor=" + next).then().body(json("items.id", equalTo(List.of(sms))));
        asAdmin().get(TOUCHPOINTS + "?channel=PIGEON").then().statusCode(400);
        asAdmin().get(TOUCHPOINTS + "?createdFrom=yesterday").then().statusCode(400);
        asAdmin().get(TOUCHPOINTS + "/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String customer = customer(null, "bad@example.com");
        badCreate(Map.of("customerId", customer, "channel", "PIGEON", "content", Map.of("body", "x")), 400, "channel");
        badCreate(Map.of("customerId", UUID.randomUUID().toString(), "channel", "EMAIL", "content", Map.of("body", "x")),
                422, "customerId");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL"), 422, "content");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "x", "templateId", "t")),
                422, "content");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of()), 422, "content");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "x", "variables", Map.of())),
                422, "content.variables");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "x"), "purpose", "Not A Slug"),
                422, "purpose");
        badCreate(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("text", "x")), 400, "content.text");
        asAdmin().contentType(ContentType.JSON).body("{").post(TOUCHPOINTS).then().statusCode(400)
                .contentType("application/problem+json");

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= TouchpointBatch.MAX_ITEMS; i++) {
            tooMany.add(touchpoint(customer, "EMAIL"));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", tooMany)).post(TOUCHPOINTS + "/batch").then()
                .statusCode(422).body(json("errors[0].field", equalTo("items")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(
                Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "x"), "idempotencyKey", "k1"),
                Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("templateId", "t"), "idempotencyKey", "k1"),
                Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of()))))
                .post(TOUCHPOINTS + "/batch").then().statusCode(422)
                .body(json("errors.field", equalTo(List.of("items[1].idempotencyKey", "items[2].content"))));
        String huge = "{\"items\": [{\"customerId\": \"" + customer + "\", \"channel\": \"EMAIL\", \"content\": {\"body\": \""
                + "x".repeat(3 * 1024 * 1024) + "\"}}]}";
        asAdmin().contentType(ContentType.JSON).body(huge).post(TOUCHPOINTS + "/batch").then().statusCode(413)
                .contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id::text = $1", customer)).isZero();
    }

    @Test
    void aBatchCreatesEveryItemInOrder() {
        String a = customer("+8613800000005", "a@example.com");
        String b = customer(null, "b@example.com");
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(touchpoint(a, "SMS"), touchpoint(b, "SMS"),
                touchpoint(b, "EMAIL")))).post(TOUCHPOINTS + "/batch").then().statusCode(200)
                .body(json("created", equalTo(3))).body(json("suppressed", equalTo(1))).body(json("replayed", equalTo(0)))
                .body(json("items.status", equalTo(List.of("QUEUED", "SUPPRESSED", "QUEUED"))))
                .body(json("items.customerId", equalTo(List.of(a, b, b))));
    }

    @Test
    void graphqlCreatesAndReadsTouchpoints() {
        String customer = customer(null, "gql@example.com");
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("query",
                "mutation($c: ID!) { createTouchpoint(input: {customerId: $c, channel: EMAIL, content: {subject: \"Hi\", body: \"Hello\"}})"
                        + " { touchpoint { id status content } userErrors { field code } } }",
                "variables", Map.of("c", customer))).post("/graphql").then().statusCode(200)
                .body(json("data.createTouchpoint.touchpoint.status", equalTo("QUEUED")))
                .body(json("data.createTouchpoint.touchpoint.content.subject", equalTo("Hi")))
                .extract().as(Json.class).get("data.createTouchpoint.touchpoint.id");
        asAdmin().contentType(ContentType.JSON).body(Map.of("query",
                "query($id: ID!) { touchpoint(id: $id) { id channel history { status } } }", "variables", Map.of("id", id)))
                .post("/graphql").then().statusCode(200).body(json("data.touchpoint.channel", equalTo("EMAIL")))
                .body(json("data.touchpoint.history.status", equalTo(List.of("QUEUED"))));
        asAdmin().contentType(ContentType.JSON).body(Map.of("query",
                "mutation($c: ID!) { createTouchpoint(input: {customerId: $c, channel: EMAIL, content: {body: \"x\"}})"
                        + " { touchpoint { id } userErrors { field code } } }",
                "variables", Map.of("c", UUID.randomUUID().toString()))).post("/graphql").then().statusCode(200)
                .body(json("data.createTouchpoint.touchpoint", equalTo(null)))
                .body(json("data.createTouchpoint.userErrors[0].field", equalTo(List.of("input", "customerId"))));
    }

    // --- helpers

    private static void badCreate(Map<String, Object> body, int status, String field) {
        asAdmin().contentType(ContentType.JSON).body(body).post(TOUCHPOINTS).then().statusCode(status)
                .contentType("application/problem+json").body(json("errors[0].field", equalTo(field)));
    }

    private static io.restassured.response.Response report(String id, String status) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("status", status)).post(TOUCHPOINTS + "/" + id + "/status");
    }

    private static Map<String, Object> touchpoint(String customer, String channel) {
        return Map.of("customerId", customer, "channel", channel, "content", Map.of("body", "Hello"));
    }

    private static String create(String customer, String channel) {
        return asAdmin().contentType(ContentType.JSON).body(touchpoint(customer, channel)).post(TOUCHPOINTS).then()
                .statusCode(201).body(json("status", equalTo("QUEUED"))).extract().as(Json.class).get("id");
    }

    /** An endpoint nobody listens on (its messages fail harmlessly): to count what the outbox got. */
    private static String endpoint(List<String> eventTypes) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/tp", "eventTypes", eventTypes))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private long messages(String endpoint, String type) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_message WHERE endpoint_id = $1 AND event_type = $2")
                .execute(Tuple.of(UUID.fromString(endpoint), type)).await().indefinitely().iterator().next().getLong(0);
    }

    private long count(String sql, String arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
