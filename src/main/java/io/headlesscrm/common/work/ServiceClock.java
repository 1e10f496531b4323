package io.headlesscrm.common.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one clock background work and time-based rules run on (when webhook messages are due and retried, how long an
 * endpoint has been failing, when a job or a lead expires): the system clock, which tests move forward
 * ({@link #advance}) to reach a later moment without waiting. Inject it wherever code asks what time it is.
 */
@ApplicationScoped
public class ServiceClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The service's clock is UTC");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Moves this clock (not the system's) forward. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    /**
     * Back to the system's time. The clock is the whole service's: a test that moved it forward resets it when done,
     * or every worker (lead deadlines, expiries, schedules) runs ahead in the tests after it.
     */
    public void reset() {
        offset = Duration.ZERO;
    }
}
