package io.headlesscrm.webhook;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Fixtures.customer;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.testing.Json;
import io.headlesscrm.webhook.Receiver.Reply;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivery against a real local receiver: signatures, the retry schedule and Retry-After (reached by moving the
 * dispatcher's clock, not by waiting), timeouts, redirects, 410, five failing days, the SSRF check at delivery,
 * rate limits, resend and recover, and nothing sent for a rolled-back change.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static Receiver receiver;

    @Inject
    Pool pool;
    @Inject
    ServiceClock clock;
    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    WebhookMessageService messages;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new Receiver(io.quarkus.arc.Arc.container().instance(Vertx.class).get());
        // the suite shares one database: the endpoints other classes left behind (some of them to addresses nothing
        // listens on) must not leave the dispatcher a backlog ahead of this class's messages, whose delivery times
        // it checks
        Pool db = io.quarkus.arc.Arc.container().instance(Pool.class).get();
        db.query("UPDATE webhook_endpoint SET enabled = false, disabled_reason = 'left by another test class'"
                + " WHERE enabled").execute().await().indefinitely();
        // the dispatcher may be recording results for some of them meanwhile: a deadlock with it is tried again
        db.query("UPDATE webhook_message SET state = 'DEAD' WHERE state IN ('PENDING', 'FAILED')").execute()
                .onFailure().retry().atMost(5).await().indefinitely();
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        receiver.close();
    }

    /** The clock is every worker's: the tests after this one must not run days ahead. */
    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void deliversATouchpointSignedPerStandardWebhooks() throws Exception {
        String path = "/signed";
        Json endpoint = endpoint(receiver.url(path), List.of("touchpoint.*"));
        String customer = customer("+8613800000001", "signed@example.com");
        String touchpoint = touchpoint(customer, "SMS");

        eventually(() -> receiver.at(path).size() == 1);
        Receiver.Received got = receiver.at(path).get(0);
        assertThat(got.webhookId()).startsWith("msg_");
        verify(got, endpoint.getString("secret"));
        Json body = Json.of(got.body());
        assertThat(body.getString("type")).isEqualTo("touchpoint.created");
        assertThat(body.getString("data.touchpoint.id")).isEqualTo(touchpoint);
        assertThat(body.getString("data.recipient.phone")).isEqualTo("+8613800000001");
        assertThat(got.headers().get("content-type")).isEqualTo("application/json");

        String message = eventuallyMessage(endpoint.getString("id"), "DELIVERED");
        asAdmin().get("/api/v1/webhook-messages/" + message).then().statusCode(200)
                .body(json("webhookId", equalTo(got.webhookId()))).body(json("attemptCount", equalTo(1)))
                .body(json("attempts[0].statusCode", equalTo(200))).body(json("attempts[0].responseExcerpt", equalTo("{\"answer\":200}")))
                .body(json("payload.data.touchpoint.id", equalTo(touchpoint)));
        delete(endpoint);
    }

    @Test
    void duringARotationsGraceBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
        String path = "/rotated";
        Json endpoint = endpoint(receiver.url(path), List.of("touchpoint.created"));
        String id = endpoint.getString("id");
        String old = endpoint.getString("secret");
        String rotated = asAdmin().post("/api/v1/webhook-endpoints/" + id + "/rotate-secret?graceSeconds=3600").then()
                .statusCode(200).extract().as(Json.class).get("secret");
        touchpoint(customer(null, "rotated@example.com"), "EMAIL");
        eventually(() -> receiver.at(path).size() == 1);
        Receiver.Received during = receiver.at(path).get(0);
        assertThat(during.headers().get("webhook-signature").split(" ")).hasSize(2);
        verify(during, rotated);
        verify(during, old);

        String newest = asAdmin().post("/api/v1/webhook-endpoints/" + id + "/rotate-secret?graceSeconds=0").then()
                .statusCode(200).extract().as(Json.class).get("secret");
        touchpoint(customer(null, "rotated2@example.com"), "EMAIL");
        eventually(() -> receiver.at(path).size() == 2);
        Receiver.Received after = receiver.at(path).get(1);
        assertThat(after.headers().get("webhook-signature").split(" ")).hasSize(1);
        verify(after, newest);
        assertThatThrownBy(() -> verify(after, rotated)).isInstanceOf(WebhookVerificationException.class);
        delete(endpoint);
    }

    @Test
    void customerChangesAreEvents() {
        String path = "/customers";
        Json endpoint = endpoint(receiver.url(path), List.of("customer.*"));
        String customer = customer(null, "events@example.com");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "Renamed"))
                .patch("/api/v1/customers/" + customer).then().statusCode(200);
        // a patch that changes nothing is no event
        asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "Renamed"))
                .patch("/api/v1/customers/" + customer).then().statusCode(200);
        asAdmin().delete("/api/v1/customers/" + customer).then().statusCode(204);
        eventually(() -> receiver.at(path).stream().filter(r -> r.body().contains(customer)).count() == 3);
        assertThat(receiver.at(path).stream().filter(r -> r.body().contains(customer))
                .map(r -> Json.of(r.body()).getString("type")).sorted().toList())
                .containsExactly("customer.created", "customer.deleted", "customer.updated");
        delete(endpoint);
    }

    @Test
    void tagChangesAreEvents() {
        String path = "/tags";
        Json endpoint = endpoint(receiver.url(path), List.of("tag.*"));
        String tag = "wh-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tag, "name", "Webhook tag")).post("/api/v1/tags")
                .then().statusCode(201);
        String one = customer(null, "tag1@example.com");
        String two = customer(null, "tag2@example.com");
        asAdmin().put("/api/v1/customers/" + one + "/tags/" + tag).then().statusCode(201);
        asAdmin().put("/api/v1/customers/" + one + "/tags/" + tag).then().statusCode(200);
        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(tag),
                "customerIds", List.of(one, two))).post("/api/v1/tag-assignments").then().statusCode(200);
        asAdmin().delete("/api/v1/customers/" + one + "/tags/" + tag).then().statusCode(204);
        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "REMOVE", "tags", List.of(tag),
                "customerIds", List.of(one, two))).post("/api/v1/tag-assignments").then().statusCode(200);
        eventually(() -> receiver.at(path).stream().filter(r -> r.body().contains(tag)).count() == 4);
        assertThat(receiver.at(path).stream().filter(r -> r.body().contains(tag))
                .map(r -> Json.of(r.body()).getString("type") + " " + Json.of(r.body()).getString("data.customerId"))
                .sorted().toList())
                .containsExactly("tag.assigned " + one, "tag.assigned " + two, "tag.removed " + one, "tag.removed " + two);
        delete(endpoint);
    }

    @Test
    void retriesAfter500sOnTheScheduleWithTheSameWebhookId() {
        String path = "/flaky-then-ok";
        Json endpoint = endpoint(receiver.url(path, Reply.status(500), Reply.status(500)), List.of("touchpoint.created"));
        touchpoint(customer(null, "retry@example.com"), "EMAIL");

        eventually(() -> receiver.at(path).size() == 1);
        String message = eventuallyMessage(endpoint.getString("id"), "FAILED");
        Json first = message(message);
        assertThat(Duration.between(Instant.parse(first.getString("attempts[0].attemptedAt")),
                Instant.parse(first.getString("nextAttemptAt")))).isBetween(Duration.ofMillis(4400), Duration.ofMillis(5600));

        clock.advance(Duration.ofSeconds(6));
        dispatcher.wake();
        eventually(() -> receiver.at(path).size() == 2);
        eventually(() -> message(message).getInt("attemptCount") == 2);
        Json second = message(message);
        assertThat(Duration.between(Instant.parse(second.getString("attempts[1].attemptedAt")),
                Instant.parse(second.getString("nextAttemptAt")))).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));

        clock.advance(Duration.ofMinutes(6));
        dispatcher.wake();
        eventually(() -> "DELIVERED".equals(message(message).getString("state")));
        assertThat(receiver.at(path)).extracting(Receiver.Received::webhookId).containsOnly(receiver.at(path).get(0).webhookId());
        assertThat(message(message).getList("attempts.statusCode", Integer.class)).containsExactly(500, 500, 200);
        asAdmin().get("/api/v1/webhook-endpoints/" + endpoint.getString("id")).then().body(json("failingSince", equalTo(null)));
        delete(endpoint);
    }

    @Test
    void honoursRetryAfterOn429() {
        String path = "/too-many";
        Json endpoint = endpoint(receiver.url(path, Reply.status(429, Map.of("Retry-After", "120"))),
                List.of("touchpoint.created"));
        touchpoint(customer(null, "429@example.com"), "EMAIL");
        String message = eventuallyMessage(endpoint.getString("id"), "FAILED");
        Json m = message(message);
        assertThat(m.getInt("attempts[0].statusCode")).isEqualTo(429);
        assertThat(Duration.between(Instant.parse(m.getString("attempts[0].attemptedAt")),
                Instant.parse(m.getString("nextAttemptAt")))).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(121));
        delete(endpoint);
    }

    @Test
    void aReceiverThatNeverAnswersTimesOut() {
        String path = "/silent";
        Json endpoint = endpoint(receiver.url(path, Reply.silence()), List.of("touchpoint.created"));
        touchpoint(customer(null, "silent@example.com"), "EMAIL");
        String message = eventuallyMessage(endpoint.getString("id"), "FAILED");
        Json m = message(message);
        assertThat(m.getString("attempts[0].statusCode")).isNull();
        assertThat(m.getString("attempts[0].error")).contains("timed out");
        assertThat(m.getInt("attempts[0].latencyMs")).isBetween(1900, 5000);
        delete(endpoint);
    }

    @Test
    void redirectsAreFailuresAndNotFollowed() {
        String path = "/moved";
        String elsewhere = receiver.url("/elsewhere");
        Json endpoint = endpoint(receiver.url(path, Reply.status(308, Map.of("Location", elsewhere))),
                List.of("touchpoint.created"));
        touchpoint(customer(null, "moved@example.com"), "EMAIL");
        String message = eventuallyMessage(endpoint.getString("id"), "FAILED");
        assertThat(message(message).getString("attempts[0].error")).contains("redirects are not followed");
        assertThat(receiver.at("/elsewhere")).isEmpty();
        delete(endpoint);
    }

    @Test
    void goneDisablesTheEndpointAtOnce() {
        String path = "/gone";
        Json endpoint = endpoint(receiver.url(path, Reply.status(410)), List.of("touchpoint.created"));
        String id = endpoint.getString("id");
        touchpoint(customer(null, "gone@example.com"), "EMAIL");
        eventuallyMessage(id, "DEAD");
        asAdmin().get("/api/v1/webhook-endpoints/" + id).then().body(json("enabled", equalTo(false)))
                .body(json("disabledReason", containsString("410")));
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'webhook-endpoint' AND entity_id = $1"
                + " AND actor_type = 'system'", id)).isEqualTo(1);
        asAdmin().get("/api/v1/audit-log?entity=webhook-endpoint&entityId=" + id).then().statusCode(200)
                .body(json("items[0].actor.type", equalTo("system"))).body(json("items[0].action", equalTo("update")))
                .body(json("items[0].changes.enabled.old", equalTo(true))).body(json("items[0].changes.enabled.new", equalTo(false)))
                .body(json("items[0].changes.disabledReason.new", containsString("410 Gone from")));
        touchpoint(customer(null, "gone2@example.com"), "EMAIL");
        assertThat(count("SELECT count(*) FROM webhook_message WHERE endpoint_id::text = $1", id)).isEqualTo(1);
        // recovering needs the endpoint enabled again; then the message goes out with its webhook-id
        asAdmin().contentType(ContentType.JSON).body(Map.of("since", "2020-01-01T00:00:00Z"))
                .post("/api/v1/webhook-endpoints/" + id + "/recover").then().statusCode(409);
        asAdmin().contentType("application/merge-patch+json").body(Map.of("enabled", true))
                .patch("/api/v1/webhook-endpoints/" + id).then().statusCode(200).body(json("disabledReason", equalTo(null)));
        asAdmin().contentType(ContentType.JSON).body(Map.of("since", "2020-01-01T00:00:00Z"))
                .post("/api/v1/webhook-endpoints/" + id + "/recover").then().statusCode(202).body(json("recovered", equalTo(1)));
        eventuallyMessage(id, "DELIVERED");
        assertThat(receiver.at(path)).extracting(Receiver.Received::webhookId).hasSize(2)
                .containsOnly(receiver.at(path).get(0).webhookId());
        delete(endpoint);
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabled() {
        String path = "/down";
        Json endpoint = endpoint(receiver.flakyUrl(path, (id, earlier) -> true), List.of("touchpoint.created"));
        String id = endpoint.getString("id");
        touchpoint(customer(null, "down@example.com"), "EMAIL");
        eventuallyMessage(id, "FAILED");
        String since = asAdmin().get("/api/v1/webhook-endpoints/" + id).then().extract().as(Json.class).get("failingSince");
        assertThat(since).isNotNull();

        clock.advance(Duration.ofDays(5).plusHours(1));
        dispatcher.wake();
        eventually(() -> !asAdmin().get("/api/v1/webhook-endpoints/" + id).then().extract().as(Json.class).<Boolean>get("enabled"));
        asAdmin().get("/api/v1/webhook-endpoints/" + id).then().body(json("disabledReason", containsString("failing")));
        delete(endpoint);
    }

    @Test
    void anAddressThatTurnedPrivateIsRefusedAtDelivery() {
        Json endpoint = endpoint(receiver.url("/rebound"), List.of("touchpoint.created"));
        String id = endpoint.getString("id");
        // as if DNS now answered with a private address: the URL is changed behind the API's back
        pool.preparedQuery("UPDATE webhook_endpoint SET url = 'http://10.1.2.3/hook' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        touchpoint(customer(null, "rebound@example.com"), "EMAIL");
        String message = eventuallyMessage(id, "FAILED");
        assertThat(message(message).getString("attempts[0].error")).contains("10.1.2.3").contains("not a public address");
        delete(endpoint);
    }

    @Test
    void rateLimitedEndpointsGetNoMoreThanTheirRate() {
        String path = "/limited";
        Json endpoint = endpoint(receiver.url(path), List.of("touchpoint.created"), 2);
        String customer = customer(null, "limited@example.com");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "n" + i)));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/touchpoints/batch")
                .then().statusCode(200);
        eventually(() -> receiver.at(path).size() == 6);
        List<Receiver.Received> got = receiver.at(path);
        // a bucket of 2 refilled at 2/s: six messages take at least two seconds
        assertThat(Duration.ofNanos(got.get(5).atNanos() - got.get(0).atNanos())).isGreaterThan(Duration.ofMillis(1500));
        delete(endpoint);
    }

    @Test
    void aRolledBackChangeSendsNothing() {
        Json endpoint = endpoint(receiver.url("/rolled-back"), List.of("touchpoint.*"));
        String customer = customer(null, "rb@example.com");
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(
                Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "ok")),
                Map.of("customerId", UUID.randomUUID().toString(), "channel", "EMAIL", "content", Map.of("body", "x")))))
                .post("/api/v1/touchpoints/batch").then().statusCode(422).body(json("errors[0].field", equalTo("items[1].customerId")));
        assertThat(count("SELECT count(*) FROM webhook_message WHERE endpoint_id::text = $1", endpoint.getString("id")))
                .isZero();
        assertThat(count("SELECT count(*) FROM touchpoint WHERE customer_id::text = $1", customer)).isZero();
        delete(endpoint);
    }

    @Test
    void resendSendsADeliveredMessageAgainWithItsId() {
        String path = "/resend";
        Json endpoint = endpoint(receiver.url(path), List.of("touchpoint.created"));
        touchpoint(customer(null, "resend@example.com"), "EMAIL");
        String message = eventuallyMessage(endpoint.getString("id"), "DELIVERED");
        asAdmin().post("/api/v1/webhook-messages/" + message + "/resend").then().statusCode(202).body(json("state", equalTo("PENDING")));
        eventually(() -> receiver.at(path).size() == 2);
        assertThat(receiver.at(path).get(1).webhookId()).isEqualTo(receiver.at(path).get(0).webhookId());
        asAdmin().get("/api/v1/webhook-endpoints/" + endpoint.getString("id") + "/messages?state=bogus").then().statusCode(400);
        asAdmin().post("/api/v1/webhook-messages/" + UUID.randomUUID() + "/resend").then().statusCode(404);
        delete(endpoint);
    }

    @Test
    void deliveredAndDeadMessagesArePurgedAfterTheRetention() {
        Json endpoint = endpoint(receiver.url("/purged"), List.of("touchpoint.created"));
        UUID endpointId = UUID.fromString(endpoint.getString("id"));
        String insert = "INSERT INTO webhook_message (id, endpoint_id, event_type, body, state, created_at)"
                + " VALUES ($1, $2, 'touchpoint.created', '{}', $3, now() - make_interval(days => $4))";
        UUID oldDelivered = UUID.randomUUID();
        UUID oldDead = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        pool.preparedQuery(insert).execute(Tuple.of(oldDelivered, endpointId, "DELIVERED", 31)).await().indefinitely();
        pool.preparedQuery(insert).execute(Tuple.of(oldDead, endpointId, "DEAD", 40)).await().indefinitely();
        pool.preparedQuery(insert).execute(Tuple.of(recent, endpointId, "DELIVERED", 1)).await().indefinitely();
        messages.purge().await().indefinitely();
        assertThat(count("SELECT count(*) FROM webhook_message WHERE endpoint_id::text = $1", endpointId.toString()))
                .isEqualTo(1);
        asAdmin().get("/api/v1/webhook-messages/" + recent).then().statusCode(200);
        delete(endpoint);
    }

    @Test
    void twoDispatchersShareTheWorkWithoutSendingTwice() throws Exception {
        String path = "/shared";
        // the first request of about a third of the messages fails: those are retried, with the same webhook-id
        Json endpoint = endpoint(receiver.flakyUrl(path, (id, earlier) -> earlier == 0 && id.hashCode() % 3 == 0),
                List.of("touchpoint.created"));
        WebhookDispatcher second = new WebhookDispatcher();
        // the service's settings, but polling more often and with fewer connections than the first
        WebhookConfig config = io.quarkus.arc.Arc.container().instance(WebhookConfig.class).get();
        WebhookConfig.Dispatch dispatch = overriding(WebhookConfig.Dispatch.class, config.dispatch(),
                Map.of("enabled", true, "pollEvery", Duration.ofMillis(50), "connectionsPerEndpoint", 16));
        second.config = overriding(WebhookConfig.class, config, Map.of("dispatch", dispatch));
        second.vertx = io.quarkus.arc.Arc.container().instance(Vertx.class).get();
        second.mutinyPool = pool;
        second.secrets = io.quarkus.arc.Arc.container().instance(WebhookSecrets.class).get();
        second.urls = io.quarkus.arc.Arc.container().instance(EndpointUrls.class).get();
        second.redis = io.quarkus.arc.Arc.container().instance(io.headlesscrm.common.RedisCalls.class).get();
        second.clock = clock;
        second.metrics = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        second.outbox = io.quarkus.arc.Arc.container().instance(Outbox.class).get();
        second.audit = io.quarkus.arc.Arc.container().instance(io.headlesscrm.security.audit.AuditLog.class).get();
        second.renderers = io.quarkus.arc.Arc.container().select(EventRenderer.class);
        second.start(null);
        try {
            String customer = customer(null, "shared@example.com");
            int total = 300;
            for (int batch = 0; batch < total / 100; batch++) {
                List<Map<String, Object>> items = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    items.add(Map.of("customerId", customer, "channel", "EMAIL", "content", Map.of("body", "n" + i)));
                }
                asAdmin().contentType(ContentType.JSON).body(Map.of("items", items)).post("/api/v1/touchpoints/batch")
                        .then().statusCode(200);
            }
            String id = endpoint.getString("id");
            eventually(() -> {
                clock.advance(Duration.ofSeconds(10));
                dispatcher.wake();
                second.wake();
                return count("SELECT count(*) FROM webhook_message WHERE endpoint_id::text = $1 AND state = 'DELIVERED'", id)
                        == total;
            });
            List<Receiver.Received> got = receiver.at(path);
            Map<String, Long> okPerId = got.stream().filter(r -> r.answeredWith() == 200)
                    .collect(Collectors.groupingBy(Receiver.Received::webhookId, Collectors.counting()));
            assertThat(okPerId).hasSize(total);
            long duplicates = okPerId.values().stream().mapToLong(n -> n - 1).sum();
            assertThat(duplicates).as("messages delivered twice").isZero();
            Set<String> failedIds = got.stream().filter(r -> r.answeredWith() == 500).map(Receiver.Received::webhookId)
                    .collect(Collectors.toSet());
            assertThat(failedIds).isNotEmpty().allMatch(okPerId::containsKey);
            assertThat(count("SELECT count(*) FROM webhook_attempt a JOIN webhook_message m ON m.id = a.message_id"
                    + " WHERE m.endpoint_id::text = $1", id)).isEqualTo(got.size());
        } finally {
            second.stop(null);
        }
        delete(endpoint);
    }

    // --- helpers

    /** {@code settings} with the values of the methods named in {@code changed} replaced. */
    @SuppressWarnings("unchecked")
    private static <T> T overriding(Class<T> type, T settings, Map<String, Object> changed) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> changed.containsKey(method.getName()) ? changed.get(method.getName())
                        : method.invoke(settings, args));
    }

    private static Json endpoint(String url, List<String> eventTypes) {
        return endpoint(url, eventTypes, null);
    }

    private static Json endpoint(String url, List<String> eventTypes, Integer ratePerSecond) {
        Map<String, Object> body = new HashMap<>(Map.of("url", url, "eventTypes", eventTypes));
        if (ratePerSecond != null) {
            body.put("rateLimitPerSecond", ratePerSecond);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/webhook-endpoints").then()
                .statusCode(201).extract().as(Json.class);
    }

    private static void delete(Json endpoint) {
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint.getString("id")).then().statusCode(204);
    }

    static String touchpoint(String customer, String channel) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("customerId", customer, "channel", channel, "content", Map.of("body", "Hello")))
                .post("/api/v1/touchpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** Verifies a request's Standard Webhooks signature with the reference library (any one signature may match). */
    private static void verify(Receiver.Received request, String secret)
            throws WebhookVerificationException, EmptyWebhookSecretException {
        Map<String, List<String>> headers = new HashMap<>();
        request.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        new Webhook(secret).verify(request.body(), HttpHeaders.of(headers, (a, b) -> true));
    }

    private static Json message(String id) {
        return asAdmin().get("/api/v1/webhook-messages/" + id).then().statusCode(200).extract().as(Json.class);
    }

    /** The endpoint's only message, once it is in {@code state}. */
    private static String eventuallyMessage(String endpointId, String state) {
        String[] id = new String[1];
        eventually(() -> {
            Json page = asAdmin().get("/api/v1/webhook-endpoints/" + endpointId + "/messages?state=" + state)
                    .then().statusCode(200).extract().as(Json.class);
            id[0] = page.getString("items[0].id");
            return id[0] != null;
        });
        return id[0];
    }

    private long count(String sql, String id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely().iterator().next().getLong(0);
    }

    static void eventually(BooleanSupplier condition) {
        Waits.eventually().until(condition::getAsBoolean);
    }
}
