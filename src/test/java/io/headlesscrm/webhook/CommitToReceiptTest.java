package io.headlesscrm.webhook;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;

/**
 * How long a customer.created event takes from its commit to the receiver, over a run of sequential creates,
 * measured from either side of the commit: the row's createdAt (set in the transaction, just before it commits)
 * and the moment the create call returned to the test (after it; REST Assured's own time included). The
 * figures are printed, not asserted (a shared 2-core machine makes any bound flaky); what is asserted is that
 * every event arrives.
 */
@QuarkusTest
class CommitToReceiptTest {

    private static final int CUSTOMERS = 200;

    @Test
    void everyCustomerCreatedEventArrivesAndItsLatencyIsPrinted() throws Exception {
        try (Receiver receiver = new Receiver(io.quarkus.arc.Arc.container().instance(Vertx.class).get())) {
            String path = "/commit-to-receipt";
            String endpoint = asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(path), "eventTypes", List.of("customer.created")))
                    .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
            Map<String, Long> returnedAt = new HashMap<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                String id = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Latency " + i))
                        .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
                returnedAt.put(id, System.nanoTime());
            }

            WebhookDeliveryTest.eventually(() -> returnedAt.keySet().stream()
                    .allMatch(id -> receiver.at(path).stream().anyMatch(r -> r.body().contains(id))));
            asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);

            List<Double> sinceReturned = new ArrayList<>();
            List<Double> sinceCreatedAt = new ArrayList<>();
            for (Receiver.Received r : receiver.at(path)) {
                Json event = Json.of(r.body());
                Long returned = returnedAt.remove(event.getString("data.id"));
                if (returned != null) {
                    sinceReturned.add((r.atNanos() - returned) / 1e6);
                    sinceCreatedAt.add(Duration.between(Instant.parse(event.getString("data.createdAt")), r.at())
                            .toNanos() / 1e6);
                }
            }
            assertThat(returnedAt).as("customers whose event did not arrive").isEmpty();
            System.out.printf("customer.created to receipt over %d sequential creates (poll-every=%s):%n"
                    + "  since the row's createdAt (taken in the transaction, before its commit): %s%n"
                    + "  since the create call returned to the test (negative: the event came first): %s%n",
                    sinceReturned.size(),
                    ConfigProvider.getConfig().getValue("crm.webhook.dispatch.poll-every", String.class),
                    figures(sinceCreatedAt), figures(sinceReturned));
        }
    }

    private static String figures(List<Double> millis) {
        Collections.sort(millis);
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(millis, 50),
                percentile(millis, 99), millis.get(millis.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
