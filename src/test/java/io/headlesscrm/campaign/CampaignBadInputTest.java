package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.CAMPAIGNS;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.problem;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/** Every bad campaign definition is a 422 (or 409) problem naming the field, and nothing is written. */
@QuarkusTest
class CampaignBadInputTest {

    @Inject
    Pool pool;

    private long campaigns() {
        return pool.query("SELECT count(*) FROM campaign").execute().await().indefinitely().iterator().next().getLong(0);
    }

    private void refused(String tag, Consumer<Map<String, Object>> change, String field) {
        Map<String, Object> d = new HashMap<>(definition(tag, List.of(Map.of("key", "only", "content", content("x")))));
        change.accept(d);
        long before = campaigns();
        asAdmin().contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then().statusCode(422)
                .contentType("application/problem+json").body(json("errors.field", hasItem(field)));
        assertThat(campaigns()).isEqualTo(before);
    }

    @Test
    void badDefinitionsAreRefusedNamingTheField() {
        String m = marker();
        tag(m);
        refused(m, d -> d.put("audience", Map.of("include", List.of())), "audience.include");
        refused(m, d -> d.put("audience", Map.of("include", List.of(Map.of("segment", "no-such-segment-" + m)))),
                "audience.include[0]");
        refused(m, d -> d.put("audience", Map.of("include", List.of(Map.of("tag", m)),
                "exclude", List.of(Map.of("tag", "no-such-tag-" + m)))), "audience.exclude[0]");
        refused(m, d -> d.put("audience", Map.of("include", List.of(Map.of("tag", m, "segment", "lifecycle")))),
                "audience.include[0]");
        refused(m, d -> d.put("audience", Map.of("include", List.of(Map.of("segment", "lifecycle", "bucket", "nope")))),
                "audience.include[0]");
        refused(m, d -> d.put("variants", List.of(Map.of("key", "v", "rule", Map.of("tag", "no-such-tag-" + m),
                "content", content("x")), Map.of("key", "w", "content", content("y")))), "variants[0].rule");
        refused(m, d -> d.put("variants", List.of(Map.of("key", "v", "content", content("x")),
                Map.of("key", "w", "rule", Map.of("tag", m), "content", content("y")))), "variants[1]");
        refused(m, d -> d.put("variants", List.of()), "variants");
        refused(m, d -> d.put("schedule", Map.of("type", "CRON", "cron", "0 0 30 2 *")), "schedule.cron");
        refused(m, d -> d.put("schedule", Map.of("type", "CRON", "cron", "*/10 * * * * ?")), "schedule.cron");
        refused(m, d -> d.put("schedule", Map.of("type", "CRON", "cron", "every day")), "schedule.cron");
        refused(m, d -> d.put("schedule", Map.of("type", "CRON", "cron", "0 9 * * *", "timeZone", "Mars/Olympus")),
                "schedule.timeZone");
        refused(m, d -> d.put("schedule", Map.of("type", "AT", "at", Instant.now().minusSeconds(60).toString())),
                "schedule.at");
        refused(m, d -> d.put("schedule", Map.of("type", "AT")), "schedule.at");
        refused(m, d -> d.put("schedule", Map.of("type", "ENTRY", "entering", Map.of("tag", m))), "schedule.entering");
        refused(m, d -> d.put("conversion", Map.of("eventType", "order", "window", "PT0S")), "conversion.window");
        refused(m, d -> d.put("conversion", Map.of("eventType", "order", "window", "P91D")), "conversion.window");
        refused(m, d -> d.put("conversion", Map.of("eventType", "order", "where",
                List.of(Map.of("prop", "undeclared-" + m, "op", "eq", "value", 1)))), "conversion.where");
        refused(m, d -> d.put("caps", List.of(Map.of("max", 0, "window", "P1D"))), "caps[0].max");
        refused(m, d -> d.put("caps", List.of(Map.of("max", 1, "window", "PT1M"))), "caps[0].window");
        refused(m, d -> d.put("holdoutPercent", 60), "holdoutPercent");
        refused(m, d -> d.put("holdoutPercent", -1), "holdoutPercent");
        refused(m, d -> d.put("quietHours", Map.of("start", "21:00", "end", "21:00")), "quietHours.end");
        refused(m, d -> d.put("quietHours", Map.of("start", "21:00", "end", "08:00", "timeZone", "Nowhere")),
                "quietHours.timeZone");
    }

    /** A run holds back in basis points: a finer holdout was stored and failed every dry run and run with a 500. */
    @Test
    void aHoldoutFinerThanABasisPointIsRefusedWhereItEnters() {
        String m = marker();
        tag(m);
        refused(m, d -> d.put("holdoutPercent", new java.math.BigDecimal("12.345")), "holdoutPercent");
        Map<String, Object> d = new HashMap<>(definition(m, List.of(Map.of("key", "only", "content", content("x")))));
        d.put("holdoutPercent", new java.math.BigDecimal("12.34"));
        String id = asAdmin().contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then().statusCode(201)
                .body(json("holdoutPercent", equalTo(12.34f))).extract().as(Json.class).get("id");
        asAdmin().contentType("application/merge-patch+json").body("{\"holdoutPercent\": 0.005}")
                .patch(CAMPAIGNS + "/" + id).then().statusCode(422).body(json("errors.field", hasItem("holdoutPercent")));
        asAdmin().post(CAMPAIGNS + "/" + id + "/dry-run").then().statusCode(200);
        d.put("holdoutPercent", new java.math.BigDecimal("12.345"));
        graphql("mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } userErrors { field } } }",
                Map.of("d", d)).body(json("data.createCampaign.campaign", org.hamcrest.Matchers.nullValue()))
                .body(json("data.createCampaign.userErrors.field", hasItem(List.of("input", "holdoutPercent"))));
        graphql("mutation($id: ID!, $p: JSON!) { updateCampaign(id: $id, input: {patch: $p}) { userErrors { field } } }",
                Map.of("id", id, "p", Map.of("holdoutPercent", new java.math.BigDecimal("1.001"))))
                .body(json("data.updateCampaign.userErrors.field", hasItem(List.of("input", "holdoutPercent"))));
    }

    /** Campaign variants once took content the touchpoints refuse, and queued touchpoints with nothing to say. */
    @Test
    void variantContentFollowsTheTouchpointsContentRule() {
        String m = marker();
        tag(m);
        refused(m, d -> d.put("variants", List.of(Map.of("key", "v", "content", Map.of()))), "variants[0].content");
        refused(m, d -> d.put("variants", List.of(Map.of("key", "v", "content", content("x")), Map.of("key", "w",
                "content", Map.of("body", "x", "templateId", "t")))), "variants[1].content");
        refused(m, d -> d.put("variants", List.of(Map.of("key", "v", "content", Map.of("body", "x", "variables",
                Map.of("a", 1))))), "variants[0].content.variables");
        String id = asAdmin().contentType(ContentType.JSON).body(definition(m, List.of(Map.of("key", "only",
                "content", content("x"))))).post(CAMPAIGNS).then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("variants", List.of(Map.of("key", "only",
                "content", Map.of())))).patch(CAMPAIGNS + "/" + id).then().statusCode(422)
                .body(json("errors.field", hasItem("variants[0].content")));
        graphql("mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } userErrors { field } } }",
                Map.of("d", definition(m, List.of(Map.of("key", "only", "content", Map.of("templateId", "t",
                        "body", "x")))))).body(json("data.createCampaign.campaign", org.hamcrest.Matchers.nullValue()))
                .body(json("data.createCampaign.userErrors.field", hasItem(List.of("input", "variants[0]", "content"))));
        // the touchpoints' own answer is unchanged
        asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", java.util.UUID.randomUUID(), "channel", "SMS",
                "content", Map.of())).post("/api/v1/touchpoints").then().statusCode(422)
                .body(json("errors.field", hasItem("content")));
    }

    private static io.restassured.response.ValidatableResponse graphql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return asAdmin().contentType(ContentType.JSON).body(body).post("/graphql").then().statusCode(200);
    }

    @Test
    void anIdempotencyKeyMakesARetryReturnTheFirstCampaign() {
        String m = marker();
        tag(m);
        Map<String, Object> d = new HashMap<>(definition(m, List.of(Map.of("key", "only", "content", content("x")))));
        String key = "k-" + m;
        long before = campaigns();
        String first = asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON).body(d).post(CAMPAIGNS)
                .then().statusCode(201).header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue())
                .extract().as(Json.class).get("id");
        asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then()
                .statusCode(201).header("Idempotent-Replayed", "true").body(json("id", equalTo(first)));
        d.put("name", "another body");
        asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then()
                .statusCode(422).contentType("application/problem+json");
        assertThat(campaigns()).isEqualTo(before + 1);
    }

    @Test
    void aBadConversionFilterPointsIntoWhere() {
        String m = marker();
        tag(m);
        Map<String, Object> d = new HashMap<>(definition(m, List.of(Map.of("key", "only", "content", content("x")))));
        d.put("conversion", Map.of("eventType", "order", "where", List.of(Map.of("prop", "undeclared-" + m, "op", "eq",
                "value", 1))));
        asAdmin().contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then().statusCode(422)
                .body(json("errors[0].field", equalTo("conversion.where"))).body(json("errors[0].pointer", equalTo("/0/prop")));
    }

    @Test
    void malformedBodiesAndUnknownValuesAreProblems() {
        asAdmin().contentType(ContentType.JSON).body("{\"name\": ").post(CAMPAIGNS).then().statusCode(400)
                .contentType("application/problem+json");
        String m = marker();
        tag(m);
        Map<String, Object> d = new HashMap<>(definition(m, List.of(Map.of("key", "only", "content", content("x")))));
        d.put("channel", "PIGEON");
        asAdmin().contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then().statusCode(400)
                .contentType("application/problem+json");
        d.put("channel", "SMS");
        d.put("quietHours", Map.of("start", "9pm", "end", "08:00"));
        asAdmin().contentType(ContentType.JSON).body(d).post(CAMPAIGNS).then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().get(CAMPAIGNS + "/not-an-id").then().statusCode(400).body(json("type", problem("invalid-id")));
        asAdmin().queryParam("status", "SLEEPING").get(CAMPAIGNS).then().statusCode(400);
        asAdmin().post(CAMPAIGNS + "/" + java.util.UUID.randomUUID() + "/pause").then().statusCode(404)
                .body(json("type", problem("not-found")));
        asAdmin().contentType("application/merge-patch+json").body("[1]")
                .patch(CAMPAIGNS + "/" + java.util.UUID.randomUUID()).then().statusCode(400);
        String id = asAdmin().contentType(ContentType.JSON).body(definition(m, List.of(Map.of("key", "only",
                "content", content("x"))))).post(CAMPAIGNS).then().statusCode(201).extract().as(Json.class).get("id");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("holdoutPercent", 75))
                .patch(CAMPAIGNS + "/" + id).then().statusCode(422).body(json("errors[0].field", equalTo("holdoutPercent")));
        asAdmin().get(CAMPAIGNS + "/" + id).then().statusCode(200).body(json("holdoutPercent", equalTo(0)));
        asAdmin().get(CAMPAIGNS).then().statusCode(200);
        String unknown = java.util.UUID.randomUUID().toString();
        asAdmin().post(CAMPAIGNS + "/" + unknown + "/dry-run").then().statusCode(404);
        asAdmin().get(CAMPAIGNS + "/" + unknown + "/runs").then().statusCode(404);
        asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + unknown).then().statusCode(404);
        asAdmin().post(CAMPAIGNS + "/" + unknown + "/report/recompute").then().statusCode(404);
        asAdmin().post(CAMPAIGNS + "/" + id + "/cancel").then().statusCode(200);
        asAdmin().post(CAMPAIGNS + "/" + id + "/cancel").then().statusCode(409).body(json("type", problem("illegal-transition")));
    }
}
