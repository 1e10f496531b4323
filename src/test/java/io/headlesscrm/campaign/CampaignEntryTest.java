package io.headlesscrm.campaign;

import static io.headlesscrm.campaign.CampaignTest.CAMPAIGNS;
import static io.headlesscrm.campaign.CampaignTest.act;
import static io.headlesscrm.campaign.CampaignTest.assign;
import static io.headlesscrm.campaign.CampaignTest.content;
import static io.headlesscrm.campaign.CampaignTest.create;
import static io.headlesscrm.campaign.CampaignTest.marker;
import static io.headlesscrm.campaign.CampaignTest.onlyRun;
import static io.headlesscrm.campaign.CampaignTest.status;
import static io.headlesscrm.campaign.CampaignTest.tag;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

/** Campaigns triggered by audience entry: each entry reached once, within seconds, and never while paused. */
@QuarkusTest
class CampaignEntryTest {

    @Inject
    Pool pool;

    private long touchpoints(String runId, String customer) {
        return pool.preparedQuery("SELECT count(*) FROM touchpoint WHERE campaign_run_id = $1 AND customer_id = $2")
                .execute(Tuple.of(UUID.fromString(runId), UUID.fromString(customer))).await().indefinitely().iterator()
                .next().getLong(0);
    }

    /** The customer's entries into and exits from segments made of tags (the built-in dimensions ignore tags). */
    private long changes(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM segment_change c JOIN segment s ON s.id = c.segment_id"
                + " WHERE c.customer_id = $1 AND s.key LIKE 'entry-%'").execute(Tuple.of(UUID.fromString(customer)))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private long messages(String endpoint, String type) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_message WHERE endpoint_id = $1 AND event_type = $2")
                .execute(Tuple.of(UUID.fromString(endpoint), type)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void eachEntryIsReachedOnceWithinSecondsAndNotWhilePaused() {
        String m = marker();
        tag(m);
        String segment = "entry-" + m;
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", segment, "name", segment,
                "condition", Map.of("tags", Map.of("any", List.of(m))))).post("/api/v1/segments").then().statusCode(201);
        String endpoint = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hooks", "eventTypes", List.of("campaign.*")))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
        String before = Fixtures.customer("+8613500000001", null);
        String entering = Fixtures.customer("+8613500000002", null);
        String later = Fixtures.customer("+8613500000003", null);
        assign(before, m);
        await().atMost(Duration.ofSeconds(20)).until(() -> changes(before) == 1); // in before the campaign starts

        String id = create(Map.of("name", "Welcome " + m, "channel", "SMS",
                "audience", Map.of("include", List.of(Map.of("segment", segment))),
                "variants", List.of(Map.of("key", "welcome", "content", content("Welcome!"))),
                "schedule", Map.of("type", "ENTRY", "entering", Map.of("segment", segment))));
        act(id, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("RUNNING"));
        String runId = onlyRun(id).getString("id");
        assertThat(messages(endpoint, "campaign.run_started")).isEqualTo(1);

        assign(entering, m);
        await().atMost(Duration.ofSeconds(20)).until(() -> touchpoints(runId, entering) == 1);
        asAdmin().delete("/api/v1/customers/" + entering + "/tags/" + m).then().statusCode(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> changes(entering) == 2); // the exit
        assign(entering, m); // a second entry, reached again
        await().atMost(Duration.ofSeconds(20)).until(() -> touchpoints(runId, entering) == 2);
        var decision = asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + runId + "/recipients/" + entering).then()
                .statusCode(200).extract().as(Json.class);
        assertThat(decision.getString("outcome")).isEqualTo("REACHED");
        assertThat(decision.getString("enteredAt")).isNotNull();
        assertThat(touchpoints(runId, before)).isZero(); // was in before the run began

        act(id, "pause", "PAUSED");
        assign(later, m);
        await().atMost(Duration.ofSeconds(20)).until(() -> changes(later) == 1);
        assertThat(touchpoints(runId, later)).isZero();
        act(id, "resume", "RUNNING");
        await().atMost(Duration.ofSeconds(20)).until(() -> touchpoints(runId, later) == 1);
        assertThat(touchpoints(runId, entering)).isEqualTo(2); // the overlap re-read took nothing twice
        act(id, "cancel", "CANCELLED");
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }
}
