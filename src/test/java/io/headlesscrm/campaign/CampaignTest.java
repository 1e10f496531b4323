package io.headlesscrm.campaign;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
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

/**
 * Campaigns against the real database: a run reaches its audience with the first variant that fits, holds out a
 * stable control group, suppresses opted-out customers, defers quiet hours, obeys caps by priority, explains every
 * decision, and reacts to audience entries.
 */
@QuarkusTest
class CampaignTest {

    static final String CAMPAIGNS = "/api/v1/campaigns";

    @Inject
    Pool pool;

    static String marker() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void tag(String key) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", key)).post("/api/v1/tags").then()
                .statusCode(201);
    }

    static void assign(String customer, String tag) {
        asAdmin().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/customers/" + customer + "/tags/" + tag)
                .then().statusCode(201);
    }

    static Map<String, Object> content(String body) {
        return Map.of("body", body);
    }

    /** A definition reaching everyone tagged {@code tag} by SMS, sent now. */
    static Map<String, Object> definition(String tag, List<Map<String, Object>> variants) {
        Map<String, Object> d = new HashMap<>();
        d.put("name", "Campaign " + tag);
        d.put("goal", "test");
        d.put("channel", "SMS");
        d.put("audience", Map.of("include", List.of(Map.of("tag", tag))));
        d.put("variants", variants);
        d.put("schedule", Map.of("type", "NOW"));
        return d;
    }

    static String create(Map<String, Object> definition) {
        return asAdmin().contentType(ContentType.JSON).body(definition).post(CAMPAIGNS).then().statusCode(201)
                .body(json("status", equalTo("DRAFT"))).extract().as(Json.class).get("id");
    }

    static void act(String id, String action, String status) {
        asAdmin().post(CAMPAIGNS + "/" + id + "/" + action).then().statusCode(200).body(json("status", equalTo(status)));
    }

    static String status(String id) {
        return asAdmin().get(CAMPAIGNS + "/" + id).then().statusCode(200).extract().as(Json.class).get("status");
    }

    static Json onlyRun(String id) {
        List<String> runs = asAdmin().get(CAMPAIGNS + "/" + id + "/runs").then().statusCode(200).extract().as(Json.class).get("items.id");
        assertThat(runs).hasSize(1);
        return asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + runs.get(0)).then().statusCode(200).extract().as(Json.class);
    }

    static Json decision(String id, String runId, String customer) {
        return asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + runId + "/recipients/" + customer).then().statusCode(200)
                .extract().as(Json.class);
    }

    @Test
    void aRunReachesItsAudienceWithTheFirstFittingVariantAndExplainsEveryDecision() {
        String m = marker();
        String all = m + "-all";
        String vip = m + "-vip";
        tag(all);
        tag(vip);
        String plain = Fixtures.customer("+8613800000001", null);
        String important = Fixtures.customer("+8613800000002", null);
        String optedOut = Fixtures.customer("+8613800000003", null);
        String noPhone = Fixtures.customer(null, "x@example.com");
        String outsider = Fixtures.customer("+8613800000004", null);
        for (String c : List.of(plain, important, optedOut, noPhone)) {
            assign(c, all);
        }
        assign(important, vip);
        asAdmin().contentType(ContentType.JSON).body(Map.of("status", "OPTED_OUT"))
                .put("/api/v1/customers/" + optedOut + "/consents/SMS").then().statusCode(200);

        String id = create(definition(all, List.of(
                Map.of("key", "vip", "rule", Map.of("tag", vip), "content", content("For our best customers")),
                Map.of("key", "everyone", "content", content("Spring sale")))));
        asAdmin().post(CAMPAIGNS + "/" + id + "/dry-run").then().statusCode(200).body(json("audience", equalTo(4)))
                .body(json("reached", equalTo(2))).body(json("suppressed", equalTo(2))).body(json("variants.vip.REACHED", equalTo(1)))
                .body(json("variants.everyone.REACHED", equalTo(1)));
        act(id, "schedule", "SCHEDULED");
        asAdmin().post(CAMPAIGNS + "/" + id + "/schedule").then().statusCode(409)
                .body(json("type", problem("illegal-transition")));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("COMPLETED"));

        Json run = onlyRun(id);
        String runId = run.getString("id");
        assertThat(run.getString("status")).isEqualTo("COMPLETED");
        assertThat(run.getInt("audienceSize")).isEqualTo(4);
        assertThat(run.getMap("outcomes")).containsEntry("REACHED", 2).containsEntry("SUPPRESSED", 2).hasSize(2);
        assertThat(run.getMap("variants.vip")).containsEntry("REACHED", 1);

        Json reached = decision(id, runId, important);
        assertThat(reached.getString("outcome")).isEqualTo("REACHED");
        assertThat(reached.getString("variant")).isEqualTo("vip");
        assertThat(reached.getString("explanation")).isEqualTo("reached with variant vip");
        asAdmin().get("/api/v1/touchpoints/" + reached.getString("touchpointId")).then().statusCode(200)
                .body(json("source", equalTo("CAMPAIGN"))).body(json("campaignRunId", equalTo(runId)))
                .body(json("campaignVariant", equalTo("vip"))).body(json("content.body", equalTo("For our best customers")))
                .body(json("status", equalTo("QUEUED")));
        assertThat(decision(id, runId, plain).getString("variant")).isEqualTo("everyone");
        Json suppressed = decision(id, runId, optedOut);
        assertThat(suppressed.getString("outcome")).isEqualTo("SUPPRESSED");
        assertThat(suppressed.getString("explanation")).startsWith("opted-out");
        asAdmin().get("/api/v1/touchpoints/" + suppressed.getString("touchpointId")).then().statusCode(200)
                .body(json("status", equalTo("SUPPRESSED")));
        assertThat(decision(id, runId, noPhone).getString("explanation")).startsWith("no-phone");
        assertThat(decision(id, runId, outsider).getString("outcome")).isEqualTo("NOT_IN_AUDIENCE");
        asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + runId + "/recipients/" + UUID.randomUUID()).then()
                .statusCode(404).body(json("type", problem("not-found")));
        asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + UUID.randomUUID() + "/recipients/" + plain).then()
                .statusCode(404).body(json("detail", startsWith("Campaign run")));
        assertThat(count("SELECT count(*) FROM touchpoint WHERE campaign_run_id = $1::uuid", runId)).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $1", id))
                .isEqualTo(2); // created, scheduled
    }

    @Test
    void theHoldoutIsStableAndMatchesTheDryRunAndAnAbSplitFollowsTheHash() {
        String m = marker();
        tag(m);
        for (int i = 0; i < 40; i++) {
            assign(Fixtures.customer("+86139" + String.format("%08d", i), null), m);
        }
        Map<String, Object> d = definition(m, List.of(
                Map.of("key", "a", "weight", 1, "content", content("A")),
                Map.of("key", "b", "weight", 1, "content", content("B"))));
        d.put("holdoutPercent", 25);
        String id = create(d);
        Json dry = asAdmin().post(CAMPAIGNS + "/" + id + "/dry-run").then().statusCode(200).extract().as(Json.class);
        act(id, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("COMPLETED"));
        Json run = onlyRun(id);
        assertThat(run.getInt("outcomes.HELD_OUT")).isEqualTo(dry.getInt("heldOut")).isBetween(3, 18);
        assertThat(run.getInt("outcomes.REACHED")).isEqualTo(40 - dry.getInt("heldOut"));
        assertThat(run.getInt("variants.a.REACHED")).isEqualTo(dry.getInt("variants.a.REACHED"));
        assertThat(run.getInt("variants.a.REACHED") + run.getInt("variants.b.REACHED"))
                .isEqualTo(run.getInt("outcomes.REACHED"));
        // ten batches of four, two at a time over disjoint ranges: each reached customer has one touchpoint
        assertThat(count("SELECT count(DISTINCT customer_id) FROM touchpoint WHERE campaign_run_id = $1::uuid"
                + " HAVING count(*) = count(DISTINCT customer_id)", run.getString("id")))
                .isEqualTo(run.getInt("outcomes.REACHED"));
        // the documented hash: anyone with the salt can recompute who is held out
        String salt = asAdmin().get(CAMPAIGNS + "/" + id).then().extract().as(Json.class).get("salt");
        long recomputed = count("SELECT count(*) FROM campaign_recipient r WHERE r.run_id = $1::uuid AND (('x' || substr(md5("
                + "'" + salt + ":holdout:' || r.customer_id::text), 1, 8))::bit(32)::bigint % 10000) < 2500",
                run.getString("id"));
        assertThat(recomputed).isEqualTo(run.getInt("outcomes.HELD_OUT"));
    }

    @Test
    void quietHoursDeferAndCapsStopByPriority() {
        String m = marker();
        List<String> two = twoTagged(m, "+861370000000");
        String a = two.get(0);
        String b = two.get(1);
        String deferred = deferredForTwo(m, 10);
        Json run = onlyRun(deferred);
        assertThat(run.getString("status")).isEqualTo("SENDING");
        Json held = decision(deferred, run.getString("id"), a);
        assertThat(held.getString("outcome")).isEqualTo("DEFERRED");
        assertThat(held.getString("explanation")).startsWith("deferred: quiet hours until");
        assertThat(held.getString("deferredUntil")).isNotNull();

        // the deferred run still means to reach a and b: a lower-priority campaign under a cap of 1 must yield
        Map<String, Object> lower = definition(m, List.of(Map.of("key", "only", "content", content("now"))));
        lower.put("caps", List.of(Map.of("max", 1, "window", "P1D")));
        String capped = create(lower);
        asAdmin().post(CAMPAIGNS + "/" + capped + "/dry-run").then().statusCode(200).body(json("capped", equalTo(2)))
                .body(json("caps", equalTo(Map.of("capped: at most 1 per PT24H on the channel (campaign cap)", 2))));
        Map<String, Object> higher = new HashMap<>(lower);
        higher.put("priority", 20);
        String outranks = create(higher);
        asAdmin().post(CAMPAIGNS + "/" + outranks + "/dry-run").then().statusCode(200).body(json("capped", equalTo(0)))
                .body(json("reached", equalTo(2)));

        act(capped, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(capped).equals("COMPLETED"));
        Json cappedRun = onlyRun(capped);
        assertThat(cappedRun.getMap("outcomes")).containsEntry("CAPPED", 2).hasSize(1);
        assertThat(decision(capped, cappedRun.getString("id"), b).getString("explanation"))
                .isEqualTo("capped: at most 1 per PT24H on the channel (campaign cap), by campaign \"Campaign " + m
                        + "\" (priority 10, " + deferred + ")");

        act(deferred, "cancel", "CANCELLED");
        assertThat(onlyRun(deferred).getMap("outcomes")).containsEntry("SKIPPED", 2).hasSize(1);
        assertThat(onlyRun(deferred).getString("status")).isEqualTo("CANCELLED");
        asAdmin().post(CAMPAIGNS + "/" + deferred + "/resume").then().statusCode(409);
    }

    @Test
    void aDeletedCustomerLeavesTheRunAndOneLeftBehindIsSkipped() {
        String m = marker();
        List<String> two = twoTagged(m, "+861370000001");
        String a = two.get(0);
        String b = two.get(1);
        String id = deferredForTwo(m, 0);
        String run = onlyRun(id).getString("id");

        // deleting a customer deletes their recipients (and the run's counts follow)
        asAdmin().delete("/api/v1/customers/" + a).then().statusCode(204);
        assertThat(onlyRun(id).getMap("outcomes")).containsEntry("DEFERRED", 1).hasSize(1);
        asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + run + "/recipients/" + a).then().statusCode(404);

        // a recipient of a customer deleted while the run materialised them is skipped, not sent
        String gone = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO campaign_recipient (run_id, customer_id, entry_at, outcome, variant, decided_at)"
                + " SELECT run_id, $2::uuid, entry_at, 'PENDING', variant, now() FROM campaign_recipient WHERE run_id = $1::uuid"
                + " LIMIT 1").execute(Tuple.of(run, gone)).await().indefinitely();
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyRunOutcome(id, "SKIPPED") == 1);
        assertThat(pool.preparedQuery("SELECT reason FROM campaign_recipient WHERE run_id = $1::uuid AND customer_id = $2::uuid")
                .execute(Tuple.of(run, gone)).await().indefinitely().iterator().next().getString(0))
                .isEqualTo("deleted: the customer no longer exists");
        assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id = $1::uuid", gone)).isZero();
        assertThat(onlyRun(id).getMap("outcomes")).containsEntry("DEFERRED", 1).containsEntry("SKIPPED", 1).hasSize(2);
        act(id, "cancel", "CANCELLED");
    }

    /**
     * A customer deleted after their batch read them (here: deleted, uncommitted, before the run; committed while the
     * batch's touchpoint waits on them) fails the batch's foreign key; the batch is done again and skips them, and the
     * run goes on, rather than failing.
     */
    @Test
    void aCustomerDeletedWhileTheirBatchIsSentIsSkippedAndTheRunCompletes() {
        String m = marker();
        List<String> two = twoTagged(m, "+861370000002");
        String a = two.get(0);
        String b = two.get(1);
        String id = create(definition(m, List.of(Map.of("key", "only", "content", content("now")))));
        var deleter = pool.getConnection().await().indefinitely();
        try {
            var tx = deleter.begin().await().indefinitely();
            deleter.preparedQuery("DELETE FROM customer WHERE id = $1::uuid").execute(Tuple.of(a)).await().indefinitely();
            act(id, "schedule", "SCHEDULED");
            // the batch statement (the start of its text: pg_stat_activity keeps 1 kB) waits for the deletion
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND query LIKE $1", "WITH b AS MATERIALIZED (SELECT r.ctid%") > 0);
            tx.commit().await().indefinitely();
        } finally {
            deleter.close().await().indefinitely();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("COMPLETED"));
        Json run = onlyRun(id);
        assertThat(run.getMap("outcomes")).containsEntry("SKIPPED", 1).containsEntry("REACHED", 1).hasSize(2);
        assertThat(pool.preparedQuery("SELECT reason FROM campaign_recipient WHERE run_id = $1::uuid AND customer_id = $2::uuid")
                .execute(Tuple.of(run.getString("id"), a)).await().indefinitely().iterator().next().getString(0))
                .isEqualTo("deleted: the customer no longer exists");
        assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id = $1::uuid", b)).isEqualTo(1);
    }

    /** Two new customers, with phones {@code stem}1 and {@code stem}2, tagged with the new tag {@code m}. */
    private static List<String> twoTagged(String m, String stem) {
        tag(m);
        List<String> two = List.of(Fixtures.customer(stem + "1", null), Fixtures.customer(stem + "2", null));
        two.forEach(id -> assign(id, m));
        return two;
    }

    /** A campaign of {@code priority} to the two customers tagged {@code m}, scheduled while its quiet hours hold: both DEFERRED. */
    private String deferredForTwo(String m, int priority) {
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> quiet = definition(m, List.of(Map.of("key", "only", "content", content("later"))));
        quiet.put("priority", priority);
        quiet.put("quietHours", Map.of("start", now.minusHours(1).toString(), "end", now.plusHours(1).toString(),
                "timeZone", "UTC"));
        String id = create(quiet);
        act(id, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyRunOutcome(id, "DEFERRED") == 2);
        return id;
    }

    private int onlyRunOutcome(String id, String outcome) {
        List<String> runs = asAdmin().get(CAMPAIGNS + "/" + id + "/runs").then().extract().as(Json.class).get("items.id");
        if (runs.isEmpty()) {
            return 0;
        }
        Integer n = asAdmin().get(CAMPAIGNS + "/" + id + "/runs/" + runs.get(0)).then().extract()
                .as(Json.class).get("outcomes." + outcome);
        return n == null ? 0 : n;
    }

    @Test
    void aStartedCampaignKeepsItsAudienceButMayChangeItsContentAndAnalystsOnlyRead() {
        String m = marker();
        tag(m);
        assign(Fixtures.customer("+8613600000001", null), m);
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> d = definition(m, List.of(Map.of("key", "only", "content", content("x"))));
        d.put("quietHours", Map.of("start", now.minusHours(1).toString(), "end", now.plusHours(1).toString()));
        String id = create(d);
        asUserWith("crm-analyst").get(CAMPAIGNS + "/" + id).then().statusCode(200);
        asUserWith("crm-analyst").post(CAMPAIGNS + "/" + id + "/schedule").then().statusCode(403);
        asUserWith("crm-marketer").contentType("application/merge-patch+json").body(Map.of("name", "Renamed"))
                .patch(CAMPAIGNS + "/" + id).then().statusCode(200).body(json("name", equalTo("Renamed")));
        asAdmin().post(CAMPAIGNS + "/" + id + "/pause").then().statusCode(409)
                .body(json("type", problem("illegal-transition")));
        act(id, "schedule", "SCHEDULED");
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyRunOutcome(id, "DEFERRED") == 1);
        assertThat(status(id)).isEqualTo("RUNNING");
        act(id, "pause", "PAUSED");
        assertThat(onlyRun(id).getString("status")).isEqualTo("PAUSED");
        asAdmin().contentType("application/merge-patch+json")
                .body(Map.of("audience", Map.of("include", List.of(Map.of("tag", m)), "exclude", List.of(Map.of("tag", m)))))
                .patch(CAMPAIGNS + "/" + id).then().statusCode(409).body(json("type", problem("campaign-started")))
                .body(json("errors[0].field", equalTo("audience")));
        asAdmin().contentType("application/merge-patch+json")
                .body(Map.of("variants", List.of(Map.of("key", "only", "content", content("changed words")))))
                .patch(CAMPAIGNS + "/" + id).then().statusCode(200).body(json("variants[0].content.body", equalTo("changed words")));
        asAdmin().delete(CAMPAIGNS + "/" + id).then().statusCode(409);
        act(id, "resume", "RUNNING");
        assertThat(onlyRun(id).getString("status")).isEqualTo("SENDING");
        act(id, "cancel", "CANCELLED");
        asAdmin().delete(CAMPAIGNS + "/" + id).then().statusCode(204);
        asAdmin().get(CAMPAIGNS + "/" + id).then().statusCode(404);
    }

    long count(String sql, String arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    static org.hamcrest.Matcher<String> problem(String slug) {
        return startsWith("https://headless-crm.dev/problems/" + slug);
    }
}
