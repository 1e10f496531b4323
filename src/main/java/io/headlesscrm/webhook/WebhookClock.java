package io.headlesscrm.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time the dispatcher runs on: when messages are due, when retries are scheduled, how long an endpoint has
 * been failing. The system clock, which tests move forward ({@link #advance}) to reach a retry without waiting.
 */
@ApplicationScoped
public class WebhookClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The dispatcher's clock is UTC");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Moves this clock (not the system's) forward. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }
}
