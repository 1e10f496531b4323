package io.headlesscrm.lead;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Bad lead rules and bad lead requests: 4xx problem+json naming the field or step, and nothing written. */
@QuarkusTest
class LeadBadInputTest {

    @Inject
    Pool pool;

    private static final String TYPE = "bad-input-lead-view";
    private static final String PAID = "bad-input-lead-paid";

    private static Map<String, Object> rule(String key, Object steps) {
        for (String t : List.of(TYPE, PAID)) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", t, "name", "price",
                    "type", "NUMBER")).post("/api/v1/properties"); // 201 once, 409 after
        }
        Map<String, Object> d = new HashMap<>(Map.of("key", key, "name", "Bad", "lead", Map.of("type", "t")));
        d.put("steps", steps);
        return d;
    }

    private void refused(Map<String, Object> definition, String field, String message) {
        asAdmin().contentType(ContentType.JSON).body(definition).post(LeadTest.RULES).then().statusCode(422)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/validation-failed")))
                .body(json("errors.field", hasItem(field))).body(json("errors.message", hasItem(org.hamcrest.Matchers.containsString(message))));
        long stored = pool.preparedQuery("SELECT count(*) FROM lead_rule WHERE key = $1")
                .execute(Tuple.of((String) definition.get("key"))).await().indefinitely().iterator().next().getLong(0);
        assertThat(stored).as("nothing written for %s", field).isZero();
    }

    private static String key() {
        return "bad-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void rulesNamingUnknownEventTypesOrPropertiesAreRefusedNamingTheStep() {
        refused(rule(key(), List.of(Map.of("eventType", "never-declared-type"))), "steps[0].eventType",
                "not a known event type");
        refused(rule(key(), List.of(Map.of("eventType", TYPE, "where", List.of(Map.of("prop", "colour", "op", "eq",
                "value", "red"))))), "steps[0].where", "not a declared property");
        refused(rule(key(), List.of(Map.of("eventType", TYPE, "where", List.of(Map.of("prop", "item.colour", "op", "eq",
                "value", "red"))))), "steps[0].where", "an item condition names one of");
        Map<String, Object> conversion = rule(key(), List.of(Map.of("eventType", TYPE)));
        conversion.put("conversions", List.of(Map.of("eventType", "nope-type")));
        refused(conversion, "conversions[0].eventType", "not a known event type");
        Map<String, Object> customer = rule(key(), List.of(Map.of("eventType", TYPE)));
        customer.put("customer", Map.of("tags", Map.of("all", List.of("no-such-tag-anywhere"))));
        refused(customer, "customer", "no tag has the key");
        Map<String, Object> reach = rule(key(), List.of(Map.of("eventType", TYPE)));
        reach.put("reach", Map.of("channel", "SMS", "content", Map.of("body", "hi", "templateId", "t")));
        refused(reach, "reach.content", "needs either body or templateId");
        Map<String, Object> expiring = rule(key(), List.of(Map.of("eventType", TYPE)));
        expiring.put("lead", Map.of("type", "t", "expiresAfter", "PT10S"));
        refused(expiring, "lead.expiresAfter", "must be from PT1M");
    }

    @Test
    void badWindowsAndImpossibleSequencesAreRefused() {
        Map<String, Object> zero = rule(key(), List.of(Map.of("eventType", TYPE),
                Map.of("then", "NOT", "eventType", PAID, "within", "PT0S")));
        zero.put("within", "PT1H");
        refused(zero, "steps[1].within", "must be over zero");
        Map<String, Object> negative = rule(key(), List.of(Map.of("eventType", TYPE),
                Map.of("then", "EVENT", "eventType", PAID, "within", "-PT5M")));
        negative.put("within", "PT1H");
        refused(negative, "steps[1].within", "must be over zero");
        Map<String, Object> notFirst = rule(key(), List.of(Map.of("then", "NOT", "eventType", PAID, "within", "PT5M"),
                Map.of("then", "EVENT", "eventType", TYPE)));
        notFirst.put("within", "PT1H");
        refused(notFirst, "steps[0].then", "the first step cannot be a NOT");
        Map<String, Object> never = rule(key(), List.of(Map.of("eventType", TYPE),
                Map.of("then", "NOT", "eventType", PAID, "within", "PT2H")));
        never.put("within", "PT1H");
        refused(never, "within", "can never complete");
        refused(rule(key(), List.of(Map.of("eventType", TYPE), Map.of("then", "EVENT", "eventType", PAID))), "within",
                "needs an overall window");
        Map<String, Object> absentWithout = rule(key(), List.of(Map.of("eventType", TYPE),
                Map.of("then", "NOT", "eventType", PAID)));
        absentWithout.put("within", "PT1H");
        refused(absentWithout, "steps[1].within", "needs the time");
        Map<String, Object> cooldown = rule(key(), List.of(Map.of("eventType", TYPE)));
        cooldown.put("cooldown", "-P1D");
        refused(cooldown, "cooldown", "must be from zero");
        refused(rule(key(), List.of()), "steps", "a rule needs at least one step, or a pull schedule");
        Map<String, Object> badScore = rule(key(), List.of(Map.of("eventType", TYPE)));
        badScore.put("lead", Map.of("type", "t", "score", 101));
        refused(badScore, "lead.score", "must be less than or equal to 100");
    }

    @Test
    void malformedBodiesDuplicateKeysAndFixedKeysAreRefused() {
        asAdmin().contentType(ContentType.JSON).body("{\"key\": ").post(LeadTest.RULES).then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "x", "name", "y", "steps", "not-a-list",
                "lead", Map.of("type", "t"))).post(LeadTest.RULES).then().statusCode(400)
                .contentType("application/problem+json");
        String k = key();
        Map<String, Object> ok = rule(k, List.of(Map.of("eventType", TYPE)));
        ok.put("active", false);
        String id = asAdmin().contentType(ContentType.JSON).body(ok).post(LeadTest.RULES).then().statusCode(201)
                .extract().as(Json.class).get("id");
        asAdmin().contentType(ContentType.JSON).body(ok).post(LeadTest.RULES).then().statusCode(409)
                .body(json("errors[0].field", equalTo("key")));
        asAdmin().contentType("application/merge-patch+json").body(Map.of("key", "other")).patch(LeadTest.RULES + "/" + id)
                .then().statusCode(409).body(json("type", equalTo("https://headless-crm.dev/problems/key-fixed")));
        asAdmin().contentType("application/merge-patch+json").body(Map.of("steps", List.of(Map.of("eventType", "zzz-none"))))
                .patch(LeadTest.RULES + "/" + id).then().statusCode(422).body(json("errors[0].field", equalTo("steps[0].eventType")));
        asAdmin().get(LeadTest.RULES + "/" + id).then().statusCode(200).body(json("version", equalTo(0)))
                .body(json("steps[0].eventType", equalTo(TYPE)));
        asAdmin().delete(LeadTest.RULES + "/" + id).then().statusCode(204);
    }

    @Test
    void badLeadRequestsAreRefused() {
        asAdmin().get("/api/v1/leads?status=WON").then().statusCode(400).body(json("errors[0].field", equalTo("status")));
        asAdmin().get("/api/v1/leads?customer=not-a-uuid").then().statusCode(400)
                .body(json("type", equalTo("https://headless-crm.dev/problems/invalid-id")));
        asAdmin().get(LeadTest.RULES + "?active=maybe").then().statusCode(400).body(json("errors[0].field", equalTo("active")));
        asAdmin().get("/api/v1/leads/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "CONTACTED"))
                .post("/api/v1/leads/" + UUID.randomUUID() + "/status").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("assignee", " "))
                .post("/api/v1/leads/" + UUID.randomUUID() + "/assign").then().statusCode(422)
                .body(json("errors[0].field", equalTo("assignee")));
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/leads/" + UUID.randomUUID() + "/status")
                .then().statusCode(422).body(json("errors[0].field", equalTo("status")));
    }
}
