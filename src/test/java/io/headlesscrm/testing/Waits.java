package io.headlesscrm.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.awaitility.core.ConditionFactory;

/**
 * How tests wait: for a condition, never for a fixed time. A fixed sleep is either too short on a busy machine
 * (a flaky test) or too long everywhere else (a slow suite).
 */
public final class Waits {

    /** How long background work (a job, the segment upkeep, a webhook) may take on a busy two-core machine. */
    public static final Duration BACKGROUND = Duration.ofSeconds(30);

    private Waits() {
    }

    /** Polls a condition on background work, checking at once and then often, for up to {@link #BACKGROUND}. */
    public static ConditionFactory eventually() {
        return await().atMost(BACKGROUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    /**
     * Returns once the wall clock has passed {@code instant}: for behaviour the code times with the real clock (tag
     * and API key expiry, time-relative segments), which a test cannot move on. PostgreSQL runs on the same host,
     * so its {@code now()} has passed it too. The assertion that follows is then checked at once, not polled.
     */
    public static void past(Instant instant) {
        await().atMost(Duration.between(Instant.now(), instant).plus(BACKGROUND)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> Instant.now().isAfter(instant));
    }
}
