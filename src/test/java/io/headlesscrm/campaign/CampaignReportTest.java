package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.CAMPAIGNS;
import static io.headlesscrm.campaign.CampaignTest.act;
import static io.headlesscrm.campaign.CampaignTest.assign;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.create;
import static io.headlesscrm.campaign.CampaignTest.definition;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.status;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reports follow status reports and goal events as they arrive, against the holdout, and recount on request. */
@QuarkusTest
class CampaignReportTest {

    @Inject
    Pool pool;

    private static void events(List<String> customers, String type, Map<String, Object> properties) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String c : customers) {
            items.add(Map.of("eventId", "e-" + UUID.randomUUID(), "type", type, "customerId", c,
                    "occurredAt", Instant.now().toString(), "properties", properties));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/events").then()
                .statusCode(200);
    }

    private static Json report(String id) {
        return asAdmin().get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200).extract().as(Json.class);
    }

    private List<String> outcome(String runId, String outcome) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT customer_id::text FROM campaign_recipient WHERE run_id = $1 AND outcome = $2"
                + " ORDER BY customer_id").execute(Tuple.of(UUID.fromString(runId), outcome)).await().indefinitely()
                .forEach(r -> ids.add(r.getString(0)));
        return ids;
    }

    @Test
    void theReportCountsEngagementAndLastTouchConversionsAgainstTheHoldout() {
        String m = marker();
        String goal = "order-" + m;
        tag(m);
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", goal, "name", "amount",
                "type", "NUMBER")).post("/api/v1/properties").then().statusCode(201);
        for (int i = 0; i < 30; i++) {
            assign(Fixtures.customer("+86158" + String.format("%08d", i), null), m);
        }
        Map<String, Object> d = definition(m, List.of(Map.of("key", "only", "content", content("Sale"))));
        d.put("holdoutPercent", 50);
        d.put("conversion", Map.of("eventType", goal, "window", "P7D",
                "where", List.of(Map.of("prop", "amount", "op", "gt", "value", 100))));
        String id = create(d);
        act(id, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("COMPLETED"));
        String runId = report(id).getString("runId");
        List<String> reached = outcome(runId, "REACHED");
        List<String> held = outcome(runId, "HELD_OUT");
        assertThat(reached.size() + held.size()).isEqualTo(30);
        assertThat(reached).hasSizeGreaterThanOrEqualTo(4);
        assertThat(held).hasSizeGreaterThanOrEqualTo(2);

        // partners report: one delivered, one clicked (implying opened and delivered)
        String first = touchpoint(runId, reached.get(0));
        String second = touchpoint(runId, reached.get(1));
        report(first, "DELIVERED");
        report(second, "CLICKED");
        // goal events: three reached customers convert (one twice, one too cheaply), one held-out customer converts
        events(List.of(reached.get(0), reached.get(1), reached.get(2), reached.get(0)), goal, Map.of("amount", 250));
        events(List.of(reached.get(3)), goal, Map.of("amount", 50));
        events(List.of(held.get(0)), goal, Map.of("amount", 500));
        await().atMost(Duration.ofSeconds(20)).until(() -> report(id).getInt("total.converted") == 3
                && report(id).getInt("total.holdoutConverted") == 1);

        Json r = report(id);
        assertThat(r.getString("goal")).isEqualTo(goal);
        assertThat(r.getInt("total.reached")).isEqualTo(reached.size());
        assertThat(r.getInt("total.heldOut")).isEqualTo(held.size());
        assertThat(r.getInt("total.delivered")).isEqualTo(2);
        assertThat(r.getInt("total.opened")).isEqualTo(1);
        assertThat(r.getInt("total.clicked")).isEqualTo(1);
        assertThat(r.getDouble("total.conversionRate.value")).isEqualTo(3.0 / reached.size(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.getDouble("total.conversionRate.lower")).isLessThan(r.getDouble("total.conversionRate.value"));
        assertThat(r.getDouble("total.holdoutConversionRate.value")).isEqualTo(1.0 / held.size(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.getDouble("total.uplift.absolute")).isEqualTo(3.0 / reached.size() - 1.0 / held.size(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.getList("trend")).hasSize(7);
        assertThat(r.getInt("trend[0].converted")).isEqualTo(3);
        assertThat(r.getInt("trend[6].conversionRate.count")).isEqualTo(3);
        assertThat(r.getInt("variants[0].funnel.converted")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM campaign_conversion WHERE run_id = $1 AND touchpoint_id IS NOT NULL",
                runId)).isEqualTo(4); // the repeat order is a conversion too, of a customer already counted

        // the goal changes: nothing counts until a recount, which then counts the new goal's events
        asAdmin().contentType("application/merge-patch+json").body(Map.of("conversion", Map.of("eventType", "refund-" + m)))
                .patch(CAMPAIGNS + "/" + id).then().statusCode(409); // completed: the definition is final
        asAdmin().post(CAMPAIGNS + "/" + id + "/report/recompute").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> report(id).getInt("total.converted") == 3);
        asAdmin().queryParam("days", 0).get(CAMPAIGNS + "/" + id + "/report").then().statusCode(422);
        asAdmin().queryParam("run", UUID.randomUUID().toString()).get(CAMPAIGNS + "/" + id + "/report").then()
                .statusCode(404);
    }

    private String touchpoint(String runId, String customer) {
        return pool.preparedQuery("SELECT id::text FROM touchpoint WHERE campaign_run_id = $1 AND customer_id = $2")
                .execute(Tuple.of(UUID.fromString(runId), UUID.fromString(customer))).await().indefinitely().iterator()
                .next().getString(0);
    }

    private static void report(String touchpoint, String status) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", status))
                .post("/api/v1/touchpoints/" + touchpoint + "/status").then().statusCode(200);
    }

    private long count(String sql, String run) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(run))).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
