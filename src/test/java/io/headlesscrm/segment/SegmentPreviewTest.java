package io.headlesscrm.segment;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The condition language end to end: a tree over attributes, tags and event aggregates, compiled to SQL and run
 * against real PostgreSQL; bad trees are 422s pointing at the node.
 */
@QuarkusTest
class SegmentPreviewTest {

    private String city;
    private String amount;
    private String order;
    private String tag;
    private String beijingBig;
    private String beijingSmall;
    private String shanghaiBig;

    private static ValidatableResponse preview(Object condition) {
        Map<String, Object> body = new HashMap<>();
        body.put("condition", condition);
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/segments/preview").then();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String customer(Map<String, Object> attributes) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Seg", "attributes", attributes))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private void orders(String customer, int n, int each) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Map.of("eventId", UUID.randomUUID().toString(), "type", order, "customerId", customer,
                    "occurredAt", Instant.now().minus(i + 1, ChronoUnit.HOURS).toString(),
                    "properties", Map.of(amount, each, "category", "hotel")));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/events").then().statusCode(200)
                .body(json("accepted", equalTo(n)));
    }

    @BeforeEach
    void data() {
        String s = suffix();
        city = "city_" + s;
        amount = "amount_" + s;
        order = "order_" + s;
        tag = "likes-hotels-" + s;
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "name", city, "type", "STRING"))
                .post("/api/v1/properties").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", order, "name", amount,
                "type", "NUMBER")).post("/api/v1/properties").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "Likes hotels")).post("/api/v1/tags")
                .then().statusCode(201);
        beijingBig = customer(Map.of(city, "Beijing"));
        beijingSmall = customer(Map.of(city, "Beijing"));
        shanghaiBig = customer(Map.of(city, "Shanghai"));
        for (String c : List.of(beijingBig, beijingSmall, shanghaiBig)) {
            asAdmin().put("/api/v1/customers/" + c + "/tags/" + tag).then().statusCode(201);
        }
        orders(beijingBig, 3, 2500);
        orders(beijingSmall, 3, 100);
        orders(shanghaiBig, 3, 2500);
    }

    private Map<String, Object> inBeijing() {
        return Map.of("attr", city, "op", "eq", "value", "Beijing");
    }

    private Map<String, Object> bigOrders(int atLeast) {
        return Map.of("event", Map.of("type", order, "where", List.of(Map.of("prop", amount, "op", "gt", "value", 2000)),
                "agg", "count", "within", "P30D", "op", "gte", "value", atLeast));
    }

    @Test
    void allOfSeveralTagsMeansEveryOneOfThemAnyMeansOneNoneMeansNoOne() {
        String second = "second-" + suffix();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", second, "name", "Second")).post("/api/v1/tags")
                .then().statusCode(201);
        asAdmin().put("/api/v1/customers/" + beijingBig + "/tags/" + second).then().statusCode(201);
        preview(Map.of("tags", Map.of("all", List.of(tag, second, tag)))).statusCode(200).body(json("count", equalTo(1)))
                .body(json("items.id", contains(beijingBig)));
        preview(Map.of("and", List.of(inBeijing(), Map.of("tags", Map.of("any", List.of(tag, second))))))
                .statusCode(200).body(json("items.id", containsInAnyOrder(beijingBig, beijingSmall)));
        preview(Map.of("and", List.of(inBeijing(), Map.of("tags", Map.of("none", List.of(second))))))
                .statusCode(200).body(json("items.id", contains(beijingSmall)));
    }

    @Test
    void attributesTagsAndEventAggregatesSelectExactlyTheMatchingCustomers() {
        preview(Map.of("and", List.of(inBeijing(), bigOrders(3), Map.of("tags", Map.of("all", List.of(tag))))))
                .statusCode(200).body(json("count", equalTo(1))).body(json("items.id", contains(beijingBig)));
        preview(Map.of("and", List.of(Map.of("tags", Map.of("any", List.of(tag))), Map.of("not", bigOrders(3)))))
                .statusCode(200).body(json("count", equalTo(1))).body(json("items.id", contains(beijingSmall)));
        preview(Map.of("and", List.of(Map.of("tags", Map.of("any", List.of(tag))), Map.of("or", List.of(
                Map.of("attr", city, "op", "in", "value", List.of("Shanghai")), Map.of("event", Map.of("type", order,
                        "agg", "sum", "prop", amount, "within", "P1D", "op", "lt", "value", 1000)))))))
                .statusCode(200).body(json("items.id", containsInAnyOrder(shanghaiBig, beijingSmall)));
        // "fewer than 1 order" also holds for customers without any such event
        String none = customer(Map.of(city, "Beijing"));
        preview(Map.of("and", List.of(inBeijing(), Map.of("event", Map.of("type", order, "within", "P30D", "op", "lt",
                "value", 1))))).statusCode(200).body(json("items.id", hasItem(none)));
        preview(Map.of("and", List.of(Map.of("attr", "lastActiveAt", "op", "within", "value", "P1D"),
                Map.of("attr", city, "op", "contains", "value", "jin"), Map.of("tags", Map.of("any", List.of(tag))))))
                .statusCode(200).body(json("items.id", containsInAnyOrder(beijingBig, beijingSmall)));
    }

    @Test
    void badTreesAre422sPointingAtTheNode() {
        preview(Map.of("and", List.of(inBeijing(), Map.of("attr", "nope_" + suffix(), "op", "eq", "value", "x"))))
                .statusCode(422).contentType("application/problem+json").body(json("errors[0].pointer", equalTo("/and/1/attr")));
        preview(Map.of("and", List.of(inBeijing(), Map.of("event", Map.of("type", order, "where", List.of(
                Map.of("prop", amount, "op", "gt", "value", "lots")), "within", "P30D", "op", "gte", "value", 1)))))
                .statusCode(422).body(json("errors[0].pointer", equalTo("/and/1/event/where/0/value")));
        preview(Map.of("or", List.of(Map.of("tags", Map.of("all", List.of("no-such-" + suffix()))))))
                .statusCode(422).body(json("errors[0].pointer", equalTo("/or/0/tags/all/0")));
        preview(Map.of("xor", List.of())).statusCode(422).body(json("errors[0].pointer", equalTo("/xor")));
        preview(Map.of("attr", city, "op", "within", "value", "P1D")).statusCode(422).body(json("errors[0].pointer",
                equalTo("/op")));
        preview(Map.of("attr", "registeredAt", "op", "within", "value", "a week")).statusCode(422)
                .body(json("errors[0].pointer", equalTo("/value")));
        preview(Map.of("event", Map.of("type", order, "op", "gte", "value", 1))).statusCode(422)
                .body(json("errors[0].pointer", equalTo("/event")));
        preview(Map.of("attr", city, "op", "eq", "value", "O'Brien\\'; DROP TABLE customer; --")).statusCode(200)
                .body(json("count", equalTo(0)));
        // text no column can hold is refused as the body is read, naming its field
        preview(Map.of("attr", city, "op", "eq", "value", "a\u0000b")).statusCode(400)
                .body(json("type", endsWith("/invalid-text"))).body(json("errors[0].field", equalTo("condition.value")));
        Object deep = inBeijing();
        for (int i = 0; i < 12; i++) {
            deep = Map.of("not", deep);
        }
        preview(deep).statusCode(422);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(inBeijing());
        }
        preview(Map.of("or", many)).statusCode(422);
        preview(null).statusCode(422);
    }

    @Test
    void analystsPreviewWithContactMasked() {
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("condition", inBeijing()))
                .post("/api/v1/segments/preview").then().statusCode(200).body(json("count", equalTo(2)));
        asUserWith(Roles.PARTNER).contentType(ContentType.JSON).body(Map.of("condition", inBeijing()))
                .post("/api/v1/segments/preview").then().statusCode(403);
    }
}
