package io.headlesscrm.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What happens after a delivery attempt. Only a 2xx is a success; anything else (a redirect too, as redirects are
 * not followed) is retried on {@link #SCHEDULE} with ±10% jitter, later if a 429 or 503 asks for it with
 * {@code Retry-After}; 410 Gone disables the endpoint at once; after the last retry the message is dead. An
 * endpoint that has failed continuously for {@code disableAfter} (5 days by default) is disabled. Time comes from
 * the clock given, so the policy is tested without waiting.
 */
final class DeliveryPolicy {

    /** The wait before each attempt: the first at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
    static final List<Duration> SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    /** The longest a Retry-After is honoured for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(10);

    enum Kind {
        /** A 2xx: done. */
        DELIVERED,
        /** Try again at {@link Outcome#nextAttemptAt()}. */
        RETRY,
        /** No attempt left. */
        DEAD,
        /** 410 Gone: the endpoint is disabled, and this message with it. */
        DISABLE_ENDPOINT
    }

    /** One attempt as it ended: the status (null when no response came: refused, reset, timed out) and Retry-After. */
    record Attempt(Integer status, String retryAfter) {
    }

    record Outcome(Kind kind, Instant nextAttemptAt) {
    }

    private final Clock clock;
    private final RandomGenerator random;
    private final Duration disableAfter;

    DeliveryPolicy(Clock clock, RandomGenerator random, Duration disableAfter) {
        this.clock = clock;
        this.random = random;
        this.disableAfter = disableAfter;
    }

    /** The outcome of attempt number {@code attempt} (1 for the first). */
    Outcome after(int attempt, Attempt result) {
        Integer status = result.status();
        if (status != null && status >= 200 && status < 300) {
            return new Outcome(Kind.DELIVERED, null);
        }
        if (status != null && status == 410) {
            return new Outcome(Kind.DISABLE_ENDPOINT, null);
        }
        if (attempt >= SCHEDULE.size()) {
            return new Outcome(Kind.DEAD, null);
        }
        Duration wait = jittered(SCHEDULE.get(attempt));
        if (status != null && (status == 429 || status == 503)) {
            Duration asked = retryAfter(result.retryAfter());
            if (asked.compareTo(wait) > 0) {
                wait = asked;
            }
        }
        return new Outcome(Kind.RETRY, clock.instant().plus(wait));
    }

    /** Whether an endpoint whose deliveries have all failed since {@code failingSince} is to be disabled now. */
    boolean disables(Instant failingSince) {
        return failingSince != null && !failingSince.plus(disableAfter).isAfter(clock.instant());
    }

    private Duration jittered(Duration wait) {
        if (wait.isZero()) {
            return wait;
        }
        long millis = wait.toMillis();
        return Duration.ofMillis(millis + Math.round(millis * 0.1 * (2 * random.nextDouble() - 1)));
    }

    /** Retry-After as seconds or an HTTP date, capped; zero when absent or unreadable. */
    private Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        Duration asked;
        try {
            asked = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                asked = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notADate) {
                return Duration.ZERO;
            }
        }
        if (asked.isNegative()) {
            return Duration.ZERO;
        }
        return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    }
}
