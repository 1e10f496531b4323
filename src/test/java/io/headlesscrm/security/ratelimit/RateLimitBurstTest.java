package io.headlesscrm.security.ratelimit;

import static io.headlesscrm.testing.Credentials.claims;
import static io.headlesscrm.testing.Credentials.sign;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.security.ratelimit.RateLimiter.Decision;
import io.headlesscrm.testing.Swaps;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The default limits (bursts of 200, 100 requests per second) against clients that send many requests at once:
 * the tokens an instance leases from the shared bucket are only ever spent by requests, so a client inside its
 * limits is never refused, on one instance or two; a client over them still is, with {@code Retry-After}.
 * A second instance is a second {@link RateLimiter} over the same Redis.
 */
@QuarkusTest
class RateLimitBurstTest {

    private static final int BURST = 200;
    private static final double PER_SECOND = 100;

    /**
     * 60 requests at once about every second (67 a second), with three idle seconds after the third round: the
     * pause before each round, counted from the start of the one before (and never before it has ended).
     */
    private static final long[] PAUSES_MILLIS = { 0, 900, 900, 3900, 900, 900 };
    private static final int AT_ONCE = 60;

    @TestHTTPResource("/api/v1/customers?limit=1")
    URL customers;
    /** This instance's limiter, with the default limits. */
    private RateLimiter limiter;
    private ExecutorService threads;
    private ScheduledExecutorService clock;
    /** Asynchronous, so that the requests of a burst are on the wire together. */
    private HttpClient http;

    @BeforeEach
    void startThreads() {
        Swaps.rateLimits(BURST, PER_SECOND);
        limiter = Arc.container().instance(RateLimiter.class).get();
        threads = Executors.newFixedThreadPool(8);
        clock = Executors.newSingleThreadScheduledExecutor();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
        clock.shutdownNow();
    }

    @Test
    void concurrentBurstsInsideTheLimitsAreNeverRefused() throws Exception {
        String warmUp = sign(claims("warm-up-" + UUID.randomUUID(), Roles.ANALYST)); // a cold service is slow
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(warmUp).get("/api/v1/customers?limit=1").then().statusCode(200);
        }
        String token = sign(claims("bursty-" + UUID.randomUUID(), Roles.ANALYST));
        List<Long> refused = inRounds(() -> atOnce(token, AT_ONCE).stream()
                .peek(response -> assertThat(response.statusCode()).isIn(200, 429))
                .filter(response -> response.statusCode() == 429).count());
        assertThat(refused).as("requests refused in each round").containsOnly(0L);
    }

    @Test
    void concurrentBurstsInsideTheLimitsAreNeverRefusedAcrossTwoInstances() throws Exception {
        RateLimiter second = secondInstance();
        String client = "user:bursty-" + UUID.randomUUID();
        List<Long> refused = inRounds(() -> decide(IntStream.range(0, AT_ONCE)
                .mapToObj(i -> (i % 2 == 0 ? limiter : second).acquire(client)).toList())
                .stream().filter(decision -> !decision.allowed()).count());
        assertThat(refused).as("requests refused in each round").containsOnly(0L);
    }

    @Test
    void aClientOverItsLimitsIsRefusedWithRetryAfterOnEveryInstance() throws Exception {
        RateLimiter second = secondInstance();
        String username = "greedy-" + UUID.randomUUID();
        String client = "user:sub-" + username; // how the filter names a token's subject
        List<Decision> decisions = decide(IntStream.range(0, 300)
                .mapToObj(i -> (i % 2 == 0 ? limiter : second).acquire(client)).toList());
        long allowed = decisions.stream().filter(Decision::allowed).count();
        // the burst, plus what 100 a second refill while the 300 are decided
        assertThat(allowed).isBetween(200L, 230L);
        assertThat(decisions).filteredOn(decision -> !decision.allowed()).hasSize(300 - (int) allowed)
                .allSatisfy(refused -> {
                    assertThat(refused.retryAfterMillis()).isBetween(1L, 10L); // a token is back every 10 ms
                    assertThat(refused.remaining()).isZero();
                });

        // still over its limits, the client sends 400 more at once to the first instance: all but what the bucket
        // refilled meanwhile (100 a second) are refused
        List<HttpResponse<String>> refused = atOnce(sign(claims(username, Roles.ANALYST)), 400).stream()
                .filter(response -> response.statusCode() != 200).toList();
        assertThat(refused).isNotEmpty().allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(new JsonObject(response.body()).getString("type"))
                    .isEqualTo("https://headless-crm.dev/problems/rate-limited");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        });
    }

    /** {@code count} requests of the client with {@code token}, all on the wire together; their responses. */
    private List<HttpResponse<String>> atOnce(String token, int count) throws URISyntaxException {
        HttpRequest request = HttpRequest.newBuilder(customers.toURI()).header("Authorization", "Bearer " + token)
                .build();
        return IntStream.range(0, count).mapToObj(i -> http.sendAsync(request, BodyHandlers.ofString())).toList()
                .stream().map(CompletableFuture::join).toList();
    }

    /** Runs {@code round} after each of {@link #PAUSES_MILLIS}; what each round returned. */
    private <T> List<T> inRounds(Callable<T> round) throws Exception {
        List<T> results = new ArrayList<>();
        long previous = System.nanoTime();
        for (long pause : PAUSES_MILLIS) {
            long delay = previous + TimeUnit.MILLISECONDS.toNanos(pause) - System.nanoTime();
            previous = System.nanoTime() + Math.max(0, delay);
            results.add(clock.schedule(round, Math.max(0, delay), TimeUnit.NANOSECONDS).get(2, TimeUnit.MINUTES));
        }
        return results;
    }

    /** All of {@code acquires} at once: each is subscribed before any is answered. */
    private static List<Decision> decide(List<Uni<Decision>> acquires) {
        return Uni.join().all(acquires).andFailFast().await().atMost(Duration.ofSeconds(30));
    }

    /** Another instance of the service: its own leases, the same Redis, the same limits. */
    private static RateLimiter secondInstance() {
        return Swaps.rateLimiter(BURST, PER_SECOND);
    }
}
