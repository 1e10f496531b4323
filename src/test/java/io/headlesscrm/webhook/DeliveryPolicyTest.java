package io.headlesscrm.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import io.headlesscrm.webhook.DeliveryPolicy.Attempt;
import io.headlesscrm.webhook.DeliveryPolicy.Kind;

/** The delivery policy with a fixed clock: no real waiting. */
class DeliveryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final DeliveryPolicy policy = new DeliveryPolicy(CLOCK, fixed(0.5), Duration.ofDays(5));

    @Test
    void onlyA2xxIsASuccess() {
        assertThat(policy.after(1, new Attempt(200, null)).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(policy.after(1, new Attempt(204, null)).kind()).isEqualTo(Kind.DELIVERED);
        for (Integer failure : new Integer[] { 308, 301, 400, 404, 500, 502, null }) {
            assertThat(policy.after(1, new Attempt(failure, null)).kind()).as("%s", failure).isEqualTo(Kind.RETRY);
        }
    }

    @Test
    void failuresAreRetriedOnTheScheduleThenTheMessageIsDead() {
        Duration[] waits = { Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10) };
        for (int attempt = 1; attempt <= waits.length; attempt++) {
            var outcome = policy.after(attempt, new Attempt(500, null));
            assertThat(outcome.kind()).isEqualTo(Kind.RETRY);
            assertThat(outcome.nextAttemptAt()).isEqualTo(NOW.plus(waits[attempt - 1]));
        }
        assertThat(policy.after(8, new Attempt(500, null)).kind()).isEqualTo(Kind.DEAD);
    }

    @Test
    void retriesAreJitteredByAtMostATenth() {
        var early = new DeliveryPolicy(CLOCK, fixed(0.0), Duration.ofDays(5)).after(3, new Attempt(500, null));
        var late = new DeliveryPolicy(CLOCK, fixed(0.999999), Duration.ofDays(5)).after(3, new Attempt(500, null));
        assertThat(early.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(27)));
        assertThat(Duration.between(NOW, late.nextAttemptAt())).isBetween(Duration.ofMinutes(33).minusSeconds(1),
                Duration.ofMinutes(33));
    }

    @Test
    void retryAfterOn429Or503IsHonouredUpToACap() {
        assertThat(policy.after(1, new Attempt(429, "120")).nextAttemptAt()).isEqualTo(NOW.plusSeconds(120));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(600).atZone(ZoneOffset.UTC));
        assertThat(policy.after(1, new Attempt(503, date)).nextAttemptAt()).isEqualTo(NOW.plusSeconds(600));
        // shorter than the schedule's wait, unreadable, or on another status: the schedule wins
        assertThat(policy.after(2, new Attempt(429, "1")).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(policy.after(1, new Attempt(429, "soon")).nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(policy.after(1, new Attempt(500, "120")).nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(policy.after(1, new Attempt(429, "99999999")).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofHours(10)));
    }

    @Test
    void goneDisablesTheEndpointAtOnceAndFiveDaysOfFailuresDisableIt() {
        assertThat(policy.after(1, new Attempt(410, null)).kind()).isEqualTo(Kind.DISABLE_ENDPOINT);
        assertThat(policy.disables(NOW.minus(Duration.ofDays(5)))).isTrue();
        assertThat(policy.disables(NOW.minus(Duration.ofDays(5)).plusSeconds(1))).isFalse();
        assertThat(policy.disables(null)).isFalse();
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
