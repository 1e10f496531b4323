package io.headlesscrm.lead;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Lead rules end to end: events in through the API, leads out, with traces, history and webhook messages. */
@QuarkusTest
class LeadTest {

    static final String RULES = "/api/v1/lead-rules";

    @Inject
    Pool pool;
    @Inject
    LeadEventRenderer.Created createdRenderer;
    @Inject
    @jakarta.enterprise.inject.Any
    jakarta.enterprise.inject.Instance<io.headlesscrm.webhook.EventRenderer> renderers;

    static String marker() {
        return "l" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Declares a property of each event type, so rules may name them. */
    static void declare(String type, String property, String propertyType) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", type, "name", property,
                "type", propertyType)).post("/api/v1/properties").then().statusCode(201);
    }

    static String event(String customer, String type, Instant at, Map<String, Object> properties) {
        Map<String, Object> item = new HashMap<>(Map.of("customerId", customer, "type", type,
                "eventId", UUID.randomUUID().toString(), "occurredAt", at.toString()));
        item.put("properties", properties);
        return asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(item))).post("/api/v1/events")
                .then().statusCode(200).extract().as(Json.class).get("items[0].id");
    }

    /** Events of one customer in one batch (so the matcher takes them together): type and time, in turn. */
    static void batch(String customer, Object... typesAndTimes) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < typesAndTimes.length; i += 2) {
            items.add(Map.of("customerId", customer, "type", typesAndTimes[i], "eventId", UUID.randomUUID().toString(),
                    "occurredAt", typesAndTimes[i + 1].toString(), "properties", Map.of()));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/events").then()
                .statusCode(200);
    }

    static String eventWithItems(String customer, String type, Instant at, List<Map<String, Object>> items) {
        Map<String, Object> event = Map.of("customerId", customer, "type", type, "eventId", UUID.randomUUID().toString(),
                "occurredAt", at.toString(), "items", items);
        return asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(event))).post("/api/v1/events")
                .then().statusCode(200).extract().as(Json.class).get("items[0].id");
    }

    static String rule(Map<String, Object> definition) {
        return asAdmin().contentType(ContentType.JSON).body(definition).post(RULES).then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    static Json leads(String customer) {
        return asAdmin().queryParam("customer", customer).get("/api/v1/leads").then().statusCode(200).extract().as(Json.class);
    }

    static int leadCount(String customer) {
        return leads(customer).getList("items").size();
    }

    private long messages(String endpoint, String type) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_message WHERE endpoint_id = $1 AND event_type = $2")
                .execute(Tuple.of(UUID.fromString(endpoint), type)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aRealTimeRuleMakesALeadForTaggedCustomersWithItsTraceHistoryAndWebhook() {
        String m = marker();
        String viewed = "viewed-" + m;
        declare(viewed, "price", "NUMBER");
        declare(viewed, "dwellSeconds", "NUMBER");
        for (String t : List.of(m + "-rich", m + "-keen")) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("key", t, "name", t)).post("/api/v1/tags").then()
                    .statusCode(201);
        }
        String endpoint = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hooks", "eventTypes", List.of("lead.*")))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
        String id = rule(Map.of("key", m, "name", "Premium fridge interest",
                "steps", List.of(Map.of("eventType", viewed, "where", List.of(
                        Map.of("prop", "price", "op", "gt", "value", 5000),
                        Map.of("prop", "dwellSeconds", "op", "gte", "value", 60)))),
                "customer", Map.of("tags", Map.of("all", List.of(m + "-rich", m + "-keen"))),
                "lead", Map.of("type", "fridge-sale", "priority", "HIGH", "score", 80)));
        String keen = Fixtures.customer("+8613600000001", null);
        String other = Fixtures.customer("+8613600000002", null);
        for (String t : List.of(m + "-rich", m + "-keen")) {
            asAdmin().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/customers/" + keen + "/tags/" + t)
                    .then().statusCode(201);
        }
        Instant now = Instant.now();
        event(keen, viewed, now, Map.of("price", 3000, "dwellSeconds", 90)); // too cheap
        event(keen, viewed, now, Map.of("price", 6999, "dwellSeconds", 20)); // too short
        String trigger = event(keen, viewed, now, Map.of("price", 6999, "dwellSeconds", 75));
        event(other, viewed, now, Map.of("price", 6999, "dwellSeconds", 75)); // not tagged

        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(keen) == 1);
        Json lead = leads(keen);
        assertThat(lead.getString("items[0].type")).isEqualTo("fridge-sale");
        assertThat(lead.getString("items[0].priority")).isEqualTo("HIGH");
        assertThat(lead.getInt("items[0].score")).isEqualTo(80);
        assertThat(lead.getString("items[0].status")).isEqualTo("NEW");
        assertThat(lead.getString("items[0].trace.ruleId")).isEqualTo(id);
        assertThat(lead.getString("items[0].trace.ruleKey")).isEqualTo(m);
        assertThat(lead.getInt("items[0].trace.ruleVersion")).isZero();
        assertThat(lead.getList("items[0].trace.events.eventId")).containsExactly(trigger);
        String leadId = lead.getString("items[0].id");

        asAdmin().get("/api/v1/leads/" + leadId + "/history").then().statusCode(200)
                .body(json("items.size()", equalTo(1))).body(json("items[0].to", equalTo("NEW")))
                .body(json("items[0].by.type", equalTo("rule"))).body(json("items[0].by.id", equalTo(m)));
        assertThat(messages(endpoint, "lead.created")).isEqualTo(1);
        // what the partner receives: the lead and the change, rendered from the history line
        UUID line = pool.preparedQuery("SELECT subject_id FROM webhook_message WHERE endpoint_id = $1")
                .execute(Tuple.of(UUID.fromString(endpoint))).await().indefinitely().iterator().next().getUUID(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) createdRenderer.data(List.of(line)).await().indefinitely()
                .get(line);
        assertThat(((LeadView) data.get("lead")).id()).hasToString(leadId);
        assertThat(((LeadChange) data.get("change")).to()).isEqualTo(LeadStatus.NEW);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> leadCount(other) == 0);
        asAdmin().queryParam("rule", id).get("/api/v1/leads").then().statusCode(200).body(json("items.size()", equalTo(1)));
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }

    @Test
    void itemConditionsHoldForOneAndTheSameItemAndAnOrderInTheCategoryConverts() {
        String m = marker();
        String viewed = "viewed-" + m;
        String ordered = "ordered-" + m;
        declare(viewed, "page", "STRING");
        declare(ordered, "total", "NUMBER");
        rule(Map.of("key", m, "name", "Premium fridges",
                "steps", List.of(Map.of("eventType", viewed, "where", List.of(
                        Map.of("prop", "item.category", "op", "eq", "value", "fridge"),
                        Map.of("prop", "item.price", "op", "gt", "value", 5000)))),
                "conversions", List.of(Map.of("eventType", ordered, "where", List.of(
                        Map.of("prop", "item.category", "op", "eq", "value", "fridge")))),
                "lead", Map.of("type", "fridge-sale")));
        String mixed = Fixtures.customer("+8613600000011", null);
        String keen = Fixtures.customer("+8613600000012", null);
        Instant now = Instant.now();
        // a cheap fridge and a dear TV: no one item is both a fridge and over 5000
        eventWithItems(mixed, viewed, now, List.of(Map.of("sku", "f1", "category", "fridge", "price", 2999),
                Map.of("sku", "tv1", "category", "tv", "price", 8999)));
        String trigger = eventWithItems(keen, viewed, now, List.of(Map.of("sku", "tv2", "category", "tv", "price", 100),
                Map.of("sku", "f2", "category", "fridge", "price", 6999, "quantity", 1)));

        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(keen) == 1);
        assertThat(leads(keen).getList("items[0].trace.events.eventId")).containsExactly(trigger);
        assertThat(leadCount(mixed)).isZero();

        eventWithItems(keen, ordered, now.plusSeconds(1), List.of(Map.of("sku", "tv2", "category", "tv", "price", 100)));
        eventWithItems(keen, ordered, now.plusSeconds(2), List.of(Map.of("sku", "f2", "category", "fridge", "price", 6999)));
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONVERTED_NATURALLY".equals(leads(keen)
                .getString("items[0].status")));
    }

    static Json touchpoints(String customer) {
        return asAdmin().queryParam("customerId", customer).get("/api/v1/touchpoints").then().statusCode(200).extract()
                .as(Json.class);
    }

    @Test
    void aRuleReachesItsLeadThroughConsentAndAConversionCancelsTheQueuedTouchpoint() {
        String m = marker();
        String viewed = "viewed-" + m;
        String paid = "paid-" + m;
        declare(viewed, "sku", "STRING");
        declare(paid, "total", "NUMBER");
        rule(Map.of("key", m, "name", "Call the keen", "steps", List.of(Map.of("eventType", viewed)),
                "conversions", List.of(Map.of("eventType", paid)), "lead", Map.of("type", "call-back"),
                "reach", Map.of("channel", "SMS", "content", Map.of("templateId", "lead-call-back",
                        "variables", Map.of("offer", "fridge")))));
        String reachable = Fixtures.customer("+8613600000021", null);
        String optedOut = Fixtures.customer("+8613600000022", null);
        String noPhone = Fixtures.customer(null, m + "@example.com");
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT"))
                .put("/api/v1/customers/" + optedOut + "/consents/SMS").then().statusCode(200);
        Instant now = Instant.now();
        for (String c : List.of(reachable, optedOut, noPhone)) {
            event(c, viewed, now, Map.of("sku", "f1"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> touchpoints(noPhone).getList("items").size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> touchpoints(reachable).getList("items").size() == 1);
        Json queued = touchpoints(reachable);
        String lead = leads(reachable).getString("items[0].id");
        assertThat(queued.getString("items[0].status")).isEqualTo("QUEUED");
        assertThat(queued.getString("items[0].source")).isEqualTo("LEAD");
        assertThat(queued.getString("items[0].leadId")).isEqualTo(lead);
        assertThat(queued.getString("items[0].purpose")).isEqualTo("sales");
        assertThat(queued.getString("items[0].content.templateId")).isEqualTo("lead-call-back");
        assertThat(touchpoints(optedOut).getString("items[0].status")).isEqualTo("SUPPRESSED");
        assertThat(touchpoints(optedOut).getString("items[0].statusReason")).startsWith("opted-out");
        assertThat(touchpoints(noPhone).getString("items[0].statusReason")).startsWith("no-phone");
        String touchpoint = queued.getString("items[0].id");

        event(reachable, paid, now.plusSeconds(1), Map.of("total", 10));
        await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(touchpoints(reachable)
                .getString("items[0].status")));
        assertThat(leads(reachable).getString("items[0].status")).isEqualTo("CONVERTED_NATURALLY");
        asAdmin().get("/api/v1/touchpoints/" + touchpoint).then().statusCode(200)
                .body(json("statusReason", equalTo("lead-closed: the lead became CONVERTED_NATURALLY")))
                .body(json("history.status", org.hamcrest.Matchers.contains("QUEUED", "CANCELLED")));
        @SuppressWarnings("unchecked")
        Map<String, Object> changed = (Map<String, Object>) renderers.stream()
                .filter(r -> r.type().equals("touchpoint.status_changed")).findFirst().orElseThrow()
                .data(List.of(UUID.fromString(touchpoint))).await().indefinitely().get(UUID.fromString(touchpoint));
        assertThat(changed).containsEntry("previousStatus", io.headlesscrm.touchpoint.TouchpointStatus.QUEUED);
        // a partner that sent it before hearing of the cancellation: kept in the history, the status stays
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "SENT"))
                .post("/api/v1/touchpoints/" + touchpoint + "/status").then().statusCode(200)
                .body(json("outcome", equalTo("LATE"))).body(json("touchpoint.status", equalTo("CANCELLED")));
    }

    @Test
    void aLeadStillOpenAtItsExpiryIsClosedAsExpiredByTheService() {
        String m = marker();
        String viewed = "viewed-" + m;
        declare(viewed, "sku", "STRING");
        rule(Map.of("key", m, "name", "Short-lived", "steps", List.of(Map.of("eventType", viewed)),
                "lead", Map.of("type", "short", "expiresAfter", "PT1H")));
        String customer = Fixtures.customer("+8613600000031", null);
        Instant before = Instant.now();
        event(customer, viewed, before, Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(customer) == 1);
        Json lead = leads(customer);
        String id = lead.getString("items[0].id");
        assertThat(Instant.parse(lead.getString("items[0].expiresAt"))).isBetween(before.plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));

        pool.preparedQuery("UPDATE lead SET expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXPIRED".equals(leads(customer).getString("items[0].status")));
        asAdmin().get("/api/v1/leads/" + id + "/history").then().statusCode(200)
                .body(json("items[1].to", equalTo("EXPIRED"))).body(json("items[1].by.type", equalTo("system")))
                .body(json("items[1].note", org.hamcrest.Matchers.startsWith("Expired: still open at")));
    }

    @Test
    void aDeletedCustomerTakesTheirLeadsPendingMatchesAndQueuedEventsWithThem() {
        String m = marker();
        String cart = "cart-" + m;
        unpaidCarts(m, cart);
        rule(Map.of("key", m + "-now", "name", "Carts", "steps", List.of(Map.of("eventType", cart)),
                "lead", Map.of("type", "cart")));
        String customer = Fixtures.customer("+8613600000051", null);
        event(customer, cart, Instant.now(), Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("lead_match", customer) == 1 && leadCount(customer) == 1);

        asAdmin().delete("/api/v1/customers/" + customer).then().statusCode(204);
        assertThat(rows("lead_match", customer)).isZero();
        assertThat(rows("lead_event", customer)).isZero();
        assertThat(rows("lead", customer)).isZero();
    }

    @Test
    void aDeletedRuleTakesItsPendingMatchesWithIt() {
        String m = marker();
        String cart = "cart-" + m;
        String id = unpaidCarts(m, cart);
        String customer = Fixtures.customer("+8613600000052", null);
        event(customer, cart, Instant.now(), Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("lead_match", customer) == 1);

        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
        assertThat(rows("lead_match", customer)).isZero();
    }

    /** A rule "cart, then no payment within an hour" over fresh event types; its id. */
    private static String unpaidCarts(String m, String cart) {
        String paid = "paid-" + m;
        declare(cart, "sku", "STRING");
        declare(paid, "total", "NUMBER");
        return rule(Map.of("key", m, "name", "Unpaid carts", "within", "PT2H", "steps", List.of(
                Map.of("eventType", cart), Map.of("then", "NOT", "eventType", paid, "within", "PT1H")),
                "lead", Map.of("type", "rescue")));
    }

    private long rows(String table, String customer) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE customer_id = $1")
                .execute(Tuple.of(UUID.fromString(customer))).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void anAbsenceFiresByTheWallClockWithoutAnotherEventAndNotForWhoeverPaid() {
        String m = marker();
        String cart = "cart-" + m;
        String paid = "paid-" + m;
        declare(cart, "sku", "STRING");
        declare(paid, "amount", "NUMBER");
        String id = rule(Map.of("key", m, "name", "Abandoned cart",
                "steps", List.of(Map.of("eventType", cart), Map.of("then", "NOT", "eventType", paid, "within", "PT3S")),
                "within", "PT1M", "lead", Map.of("type", "abandoned-cart")));
        String abandoned = Fixtures.customer("+8613600000011", null);
        String payer = Fixtures.customer("+8613600000012", null);
        Instant start = Instant.now();
        event(abandoned, cart, start, Map.of("sku", "fridge"));
        event(payer, cart, start, Map.of("sku", "fridge"));
        event(payer, paid, start.plusSeconds(1), Map.of("amount", 6999));

        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(abandoned) == 1);
        Json lead = leads(abandoned);
        Instant deadline = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(3);
        assertThat(Instant.parse(lead.getString("items[0].triggeredAt"))).isEqualTo(deadline);
        assertThat(Instant.parse(lead.getString("items[0].createdAt"))).isBetween(deadline, deadline.plusSeconds(2));
        assertThat(lead.getList("items[0].trace.events.absent")).containsExactly(false, true);
        assertThat(leadCount(payer)).isZero();
        assertThat(pending(id)).isZero();
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }

    private long pending(String rule) {
        return pool.preparedQuery("SELECT count(*) FROM lead_match WHERE rule_id = $1")
                .execute(Tuple.of(UUID.fromString(rule))).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aConversionBeforeTheLeadIsWorkedClosesItAndTheCooldownStopsASecondLead() {
        String m = marker();
        String viewed = "viewed-" + m;
        String order = "order-" + m;
        declare(viewed, "category", "STRING");
        declare(order, "category", "STRING");
        String id = rule(Map.of("key", m, "name", "Hotel interest",
                "steps", List.of(Map.of("eventType", viewed, "where", List.of(Map.of("prop", "category", "op", "eq",
                        "value", "hotel")))),
                "conversions", List.of(Map.of("eventType", order, "where", List.of(Map.of("prop", "category", "op", "eq",
                        "value", "hotel")))),
                "cooldown", "P1D", "lead", Map.of("type", "hotel-sale")));
        String c = Fixtures.customer("+8613600000021", null);
        Instant now = Instant.now();
        event(c, viewed, now, Map.of("category", "hotel"));
        event(c, viewed, now.plusSeconds(1), Map.of("category", "hotel")); // within the cooldown
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(c) == 1);
        String leadId = leads(c).getString("items[0].id");

        event(c, order, now.plusSeconds(2), Map.of("category", "flight")); // not this rule's conversion
        event(c, order, now.plusSeconds(3), Map.of("category", "hotel"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONVERTED_NATURALLY".equals(
                asAdmin().get("/api/v1/leads/" + leadId).then().extract().as(Json.class).get("status")));
        asAdmin().get("/api/v1/leads/" + leadId + "/history").then().statusCode(200)
                .body(json("items.size()", equalTo(2))).body(json("items[1].from", equalTo("NEW")))
                .body(json("items[1].to", equalTo("CONVERTED_NATURALLY"))).body(json("items[1].by.type", equalTo("system")));

        event(c, viewed, now.plusSeconds(4), Map.of("category", "hotel")); // still within the cooldown
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> leadCount(c) == 1);
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }

    @Test
    void aLeadMovesThroughItsLifecycleAndRefusesIllegalMovesNamingWhereItMayGo() {
        String m = marker();
        String viewed = "viewed-" + m;
        declare(viewed, "sku", "STRING");
        String id = rule(Map.of("key", m, "name", "Any view", "steps", List.of(Map.of("eventType", viewed)),
                "lead", Map.of("type", "any")));
        String c = Fixtures.customer("+8613600000031", null);
        event(c, viewed, Instant.now(), Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(c) == 1);
        String lead = "/api/v1/leads/" + leads(c).getString("items[0].id");

        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "QUALIFIED")).post(lead + "/status").then()
                .statusCode(409).contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/illegal-transition")))
                .body(json("detail", equalTo("A NEW lead cannot become QUALIFIED; it may become ASSIGNED, DISQUALIFIED")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "EXPIRED")).post(lead + "/status").then()
                .statusCode(422).body(json("errors.field", hasItem("status")));
        LeadAssignmentTest.team("team-" + m, List.of(LeadAssignmentTest.rep("rep-1", null, null)));
        var sales = asUserWith(Roles.SALES);
        sales.contentType(ContentType.JSON).body(Map.of("assignee", "rep-1", "note", "yours"))
                .post(lead + "/assign").then().statusCode(200).body(json("status", equalTo("ASSIGNED")))
                .body(json("assignee", equalTo("rep-1")));
        asAdmin().queryParam("assignee", "rep-1").queryParam("status", "ASSIGNED").get("/api/v1/leads").then()
                .statusCode(200).body(json("items.id", hasItem(lead.substring(lead.lastIndexOf('/') + 1))));
        for (String status : List.of("CONTACTED", "QUALIFIED", "CONVERTED")) {
            asUserWith(Roles.SALES).contentType(ContentType.JSON).body(Map.of("status", status))
                    .post(lead + "/status").then().statusCode(200).body(json("status", equalTo(status)));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "DISQUALIFIED")).post(lead + "/status").then()
                .statusCode(409).body(json("detail", equalTo("A CONVERTED lead cannot become DISQUALIFIED; it is closed")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "CONTACTED")).header("If-Match", "\"1\"")
                .post(lead + "/status").then().statusCode(412);
        List<String> to = new ArrayList<>(asAdmin().get(lead + "/history").then().statusCode(200).extract()
                .as(Json.class).getList("items.to"));
        assertThat(to).containsExactly("NEW", "ASSIGNED", "CONTACTED", "QUALIFIED", "CONVERTED");
        asAdmin().get(lead + "/history").then().body(json("items[1].note", equalTo("yours")))
                .body(json("items[1].assignee", equalTo("rep-1")));
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("status", "CONTACTED"))
                .post(lead + "/status").then().statusCode(403);
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
        // the trace keeps the rule's key and version; its id names no rule any more (absent, as documented)
        asAdmin().get(lead).then().statusCode(200).body(json("trace.ruleKey", equalTo(m)))
                .body(json("trace", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("ruleId"))));
        asAdmin().queryParam("customer", c).get("/api/v1/leads").then().statusCode(200)
                .body(json("items[0].trace", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("ruleId"))));
    }

    @Test
    void aRuleChangedWhileAMatchIsPendingAppliesToNewMatchesOnly() {
        String m = marker();
        String a = "a-" + m;
        String b = "b-" + m;
        String c = "c-" + m;
        for (String t : List.of(a, b, c)) {
            declare(t, "n", "NUMBER");
        }
        String id = rule(Map.of("key", m, "name", "A then B", "within", "PT1H",
                "steps", List.of(Map.of("eventType", a), Map.of("then", "EVENT", "eventType", b)),
                "lead", Map.of("type", "seq")));
        String first = Fixtures.customer("+8613600000041", null);
        Instant now = Instant.now();
        event(first, a, now, Map.of("n", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> pending(id) == 1);
        asAdmin().contentType(ContentType.JSON).body(Map.of("steps", List.of(Map.of("eventType", a),
                Map.of("then", "EVENT", "eventType", c)))).patch(RULES + "/" + id).then().statusCode(200)
                .body(json("version", equalTo(1)));
        String second = Fixtures.customer("+8613600000042", null);
        event(second, a, now, Map.of("n", 1));
        event(first, b, now.plusSeconds(1), Map.of("n", 1)); // the pending match is still A then B
        event(second, b, now.plusSeconds(1), Map.of("n", 1)); // the new one wants C
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(first) == 1);
        assertThat(leads(first).getInt("items[0].trace.ruleVersion")).isZero();
        event(second, c, now.plusSeconds(2), Map.of("n", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(second) == 1);
        assertThat(leads(second).getInt("items[0].trace.ruleVersion")).isEqualTo(1);

        // pausing drops what is pending
        event(second, a, now.plusSeconds(3), Map.of("n", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> pending(id) == 1);
        asAdmin().contentType(ContentType.JSON).body(Map.of("active", false)).patch(RULES + "/" + id).then()
                .statusCode(200).body(json("active", equalTo(false)));
        assertThat(pending(id)).isZero();
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }
    /** "cart, then no payment within {@code window}", the payment also its conversion; its id. */
    private static String cartsPaidInTime(String m, String cart, String paid, String window) {
        declare(cart, "sku", "STRING");
        declare(paid, "amount", "NUMBER");
        return rule(Map.of("key", m, "name", "Abandoned cart", "within", "PT1M",
                "steps", List.of(Map.of("eventType", cart), Map.of("then", "NOT", "eventType", paid, "within", window)),
                "conversions", List.of(Map.of("eventType", paid)), "lead", Map.of("type", "abandoned-cart")));
    }

    private long queued(String customer) {
        return rows("lead_event", customer);
    }

    @Test
    void aPaymentDatedBeforeTheCartLeavesTheAbsenceToFireWhetherItCameWithTheCartOrLater() {
        String m = marker();
        String cart = "cart-" + m;
        String paid = "paid-" + m;
        // long enough for the late payment to be matched before the deadline (else it would not have stopped it)
        String id = cartsPaidInTime(m, cart, paid, "PT8S");
        String together = Fixtures.customer("+8613600000061", null);
        String later = Fixtures.customer("+8613600000062", null);
        Instant start = Instant.now();
        batch(together, cart, start, paid, start.minusSeconds(5));
        event(later, cart, start, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("lead_match", later) == 1);
        event(later, paid, start.minusSeconds(5), Map.of());
        // the late payment has been matched and the match still waits for its deadline
        await().atMost(Duration.ofSeconds(20)).until(() -> queued(later) == 0);

        Instant deadline = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(8);
        for (String c : List.of(together, later)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(c) == 1);
            assertThat(Instant.parse(leads(c).getString("items[0].triggeredAt"))).isEqualTo(deadline);
            assertThat(leads(c).getString("items[0].status")).isEqualTo("NEW");
        }
        assertThat(pending(id)).isZero();
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }

    @Test
    void aPaymentInsideTheWindowLeavesNoOpenLeadWhetherItCameWithTheCartOrAfterTheAbsenceFired() {
        String m = marker();
        String cart = "cart-" + m;
        String paid = "paid-" + m;
        String id = cartsPaidInTime(m, cart, paid, "PT3S");
        String together = Fixtures.customer("+8613600000063", null);
        String late = Fixtures.customer("+8613600000064", null);
        // the cart's deadline has passed when it arrives: the absence fires at once unless its batch has the payment
        Instant start = Instant.now().minusSeconds(30);
        batch(together, paid, start.plusSeconds(1), cart, start);
        event(late, cart, start, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> leadCount(late) == 1);
        String lead = leads(late).getString("items[0].id");
        assertThat(Instant.parse(leads(late).getString("items[0].triggeredAt")))
                .isEqualTo(start.truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(3));

        event(late, paid, start.plusSeconds(1), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONVERTED_NATURALLY".equals(
                asAdmin().get("/api/v1/leads/" + lead).then().extract().as(Json.class).get("status")));
        asAdmin().get("/api/v1/leads/" + lead + "/history").then().statusCode(200)
                .body(json("items[1].to", equalTo("CONVERTED_NATURALLY")))
                .body(json("items[1].note", org.hamcrest.Matchers.startsWith("The customer converted by themselves: " + paid)));
        await().atMost(Duration.ofSeconds(20)).until(() -> queued(together) == 0);
        assertThat(leadCount(together)).isZero();
        assertThat(pending(id)).isZero();
        asAdmin().delete(RULES + "/" + id).then().statusCode(204);
    }
}
