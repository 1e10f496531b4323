package io.headlesscrm.lead;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Offline pulls: a schedule that makes leads from an audience, skipping whoever has an open lead of the type. */
@QuarkusTest
class LeadPullTest {

    @Inject
    Pool pool;

    private Row pull(String rule) {
        return pool.preparedQuery("SELECT next_at, after_customer, made FROM lead_pull WHERE rule_id = $1")
                .execute(Tuple.of(UUID.fromString(rule))).await().indefinitely().iterator().next();
    }

    private void fireNow(String rule) {
        pool.preparedQuery("UPDATE lead_pull SET next_at = now() WHERE rule_id = $1")
                .execute(Tuple.of(UUID.fromString(rule))).await().indefinitely();
    }

    @Test
    void aPullMakesALeadForEachCustomerOfItsAudienceWithoutAnOpenLeadOfTheType() {
        String m = LeadTest.marker();
        String viewed = "viewed-" + m;
        LeadTest.declare(viewed, "sku", "STRING");
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", m, "name", m)).post("/api/v1/tags").then()
                .statusCode(201);
        String fresh = Fixtures.customer("+8613600000041", null);
        String busy = Fixtures.customer("+8613600000042", null);
        String outside = Fixtures.customer("+8613600000043", null);
        for (String c : List.of(fresh, busy)) {
            asAdmin().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/customers/" + c + "/tags/" + m)
                    .then().statusCode(201);
        }
        // busy already has an open lead of the type, from a real-time rule
        LeadTest.rule(Map.of("key", m + "-rt", "name", "Views", "steps", List.of(Map.of("eventType", viewed)),
                "lead", Map.of("type", "win-back-" + m)));
        LeadTest.event(busy, viewed, Instant.now(), Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> LeadTest.leadCount(busy) == 1);

        String rule = LeadTest.rule(Map.of("key", m, "name", "Weekly win-back", "pull", Map.of("cron", "0 9 * * MON",
                "timeZone", "Asia/Shanghai"), "customer", Map.of("tags", Map.of("all", List.of(m))),
                "lead", Map.of("type", "win-back-" + m, "priority", "LOW")));
        Instant scheduled = pull(rule).getOffsetDateTime(0).toInstant();
        assertThat(scheduled).isAfter(Instant.now());
        fireNow(rule);

        await().atMost(Duration.ofSeconds(30)).until(() -> pull(rule).getOffsetDateTime(0).toInstant()
                .isAfter(Instant.now()));
        assertThat(LeadTest.leadCount(fresh)).isEqualTo(1);
        assertThat(LeadTest.leads(fresh).getString("items[0].trace.ruleKey")).isEqualTo(m);
        assertThat(LeadTest.leads(fresh).getList("items[0].trace.events")).isEmpty();
        assertThat(LeadTest.leads(fresh).getString("items[0].priority")).isEqualTo("LOW");
        assertThat(LeadTest.leadCount(busy)).as("an open lead of the type already").isEqualTo(1);
        assertThat(LeadTest.leadCount(outside)).isZero();
        assertThat(pull(rule).getUUID(1)).as("the fire's place is cleared").isNull();

        // the next fire: fresh's lead is still open, so nothing new
        fireNow(rule);
        await().atMost(Duration.ofSeconds(30)).until(() -> pull(rule).getOffsetDateTime(0).toInstant()
                .isAfter(Instant.now()));
        assertThat(LeadTest.leadCount(fresh)).isEqualTo(1);
    }

    @Test
    void badPullsAreRefusedNamingTheField() {
        String m = LeadTest.marker();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", m, "name", m)).post("/api/v1/tags").then()
                .statusCode(201);
        Map<String, Object> customer = Map.of("tags", Map.of("all", List.of(m)));
        refused(definition(m, Map.of("cron", "* * * * * ?"), customer), "pull.cron", "fires more than once a minute");
        refused(definition(m, Map.of("cron", "not a cron"), customer), "pull.cron", "is not a cron expression");
        refused(definition(m, Map.of("cron", "0 9 * * *", "timeZone", "Mars/Olympus"), customer), "pull.timeZone",
                "is not a time zone");
        refused(definition(m, Map.of("cron", "0 9 * * *"), null), "customer", "a pull rule needs the customers");
        Map<String, Object> withSteps = definition(m, Map.of("cron", "0 9 * * *"), customer);
        withSteps.put("steps", List.of(Map.of("eventType", "anything")));
        refused(withSteps, "steps", "a pull rule has no steps");
    }

    private static Map<String, Object> definition(String key, Map<String, Object> pull, Map<String, Object> customer) {
        Map<String, Object> d = new HashMap<>(Map.of("key", key, "name", "Pull", "pull", pull, "lead",
                Map.of("type", "t")));
        if (customer != null) {
            d.put("customer", customer);
        }
        return d;
    }

    private void refused(Map<String, Object> definition, String field, String message) {
        asAdmin().contentType(ContentType.JSON).body(definition).post(LeadTest.RULES).then().statusCode(422)
                .contentType("application/problem+json").body(json("errors.field", hasItem(field)))
                .body(json("errors.message", hasItem(org.hamcrest.Matchers.containsString(message))));
        long stored = pool.preparedQuery("SELECT count(*) FROM lead_rule WHERE key = $1")
                .execute(Tuple.of((String) definition.get("key"))).await().indefinitely().iterator().next().getLong(0);
        assertThat(stored).as("nothing written for %s", field).isZero();
    }
}
