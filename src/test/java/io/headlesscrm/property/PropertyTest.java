package io.headlesscrm.property;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class PropertyTest {

    private static final String PROPERTIES = "/api/v1/properties";

    static ValidatableResponse declare(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post(PROPERTIES).then();
    }

    private static String unique(String base) {
        return base + "_" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
    }

    @Test
    void declaredCustomerAttributesAreCheckedOnEveryWriteAndUndeclaredOnesPass() {
        String age = unique("age");
        String tier = unique("tier");
        String id = declare(Map.of("scope", "CUSTOMER", "name", age, "type", "NUMBER")).statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/properties/")).body(json("eventType", equalTo(null)))
                .extract().as(Json.class).get("id");
        declare(Map.of("scope", "CUSTOMER", "name", tier, "type", "ENUM", "values", List.of("gold", "silver")))
                .statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "A", "attributes", Map.of(age, "old", tier, "bronze")))
                .post("/api/v1/customers").then().statusCode(422)
                .body(json("errors.field", contains("attributes." + age, "attributes." + tier)));
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "A", "attributes",
                Map.of(age, 30, tier, "gold", "anythingElse", List.of(1)))).post("/api/v1/customers").then()
                .statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("attributes", Map.of(age, true)))
                .patch("/api/v1/customers/" + customer).then().statusCode(422)
                .body(json("errors[0].field", equalTo("attributes." + age)));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "B", "attributes", Map.of(age, "x")))
                .put("/api/v1/customers-by-external-id/" + unique("ext")).then().statusCode(422);

        asAdmin().delete(PROPERTIES + "/" + id).then().statusCode(204);
        asAdmin().contentType("application/merge-patch+json").body(Map.of("attributes", Map.of(age, true)))
                .patch("/api/v1/customers/" + customer).then().statusCode(200);
        asAdmin().get(PROPERTIES + "/" + id).then().statusCode(404);
    }

    @Test
    void declaredEventPropertiesRejectOnlyTheItemsThatBreakThem() {
        String type = unique("paid").toLowerCase();
        String amount = unique("amount");
        declare(Map.of("scope", "EVENT", "eventType", type, "name", amount, "type", "NUMBER")).statusCode(201);
        declare(Map.of("scope", "EVENT", "name", unique("at"), "type", "TIMESTAMP")).statusCode(201);
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "E")).post("/api/v1/customers")
                .then().statusCode(201).extract().as(Json.class).get("id");
        List<Map<String, Object>> items = List.of(event(customer, type, Map.of(amount, 12.5)),
                event(customer, type, Map.of(amount, "twelve")), event(customer, "view", Map.of(amount, "any")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/events").then()
                .statusCode(200).body(json("accepted", equalTo(2))).body(json("errors[0].index", equalTo(1)))
                .body(json("errors[0].errors[0].field", equalTo("properties." + amount)));
    }

    @Test
    void badDeclarationsAreRefusedAndDuplicatesConflict() {
        String name = unique("p");
        declare(Map.of("scope", "CUSTOMER", "name", name, "type", "STRING")).statusCode(201);
        declare(Map.of("scope", "CUSTOMER", "name", name, "type", "NUMBER")).statusCode(409)
                .body(json("type", equalTo("https://headless-crm.dev/problems/property-exists")));
        declare(Map.of("scope", "CUSTOMER", "name", unique("e"), "type", "ENUM")).statusCode(422);
        declare(Map.of("scope", "CUSTOMER", "name", unique("s"), "type", "STRING", "values", List.of("a"))).statusCode(422);
        declare(Map.of("scope", "CUSTOMER", "eventType", "order", "name", unique("c"), "type", "STRING")).statusCode(422);
        declare(Map.of("scope", "CUSTOMER", "name", "1bad", "type", "STRING")).statusCode(422);
        declare(Map.of("scope", "PLANET", "name", unique("x"), "type", "STRING")).statusCode(400);
        asAdmin().get(PROPERTIES + "?scope=CUSTOMER&limit=100").then().statusCode(200).body(json("items.name", hasItem(name)));
        asAdmin().get(PROPERTIES + "?scope=PLANET").then().statusCode(400);
        asUserWith(Roles.ANALYST).get(PROPERTIES).then().statusCode(200);
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "name", unique("a"),
                "type", "STRING")).post(PROPERTIES).then().statusCode(403);
    }

    private static Map<String, Object> event(String customer, String type, Map<String, Object> properties) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("customerId", customer);
        e.put("occurredAt", Instant.now().toString());
        e.put("properties", properties);
        return e;
    }
}
