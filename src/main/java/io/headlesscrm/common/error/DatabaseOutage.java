package io.headlesscrm.common.error;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Logs an outage of the database once, not once per request or per poll: one ERROR when the first failure that
 * {@link DatabaseUnavailable} recognises arrives, one INFO when the database works again. Requests and background
 * work report their failures here; successes (a request answered below 500, a scheduled job that completed) say the
 * outage may be over, which counts once no failure came for {@link #QUIET}: a request that does not need the
 * database must not end an outage that the next request finds still going on.
 *
 * <p>Static, like {@code WorkLoop} that reports to it: the state is one per application (one per class loader, so
 * each Quarkus test application has its own).
 */
public final class DatabaseOutage {

    /** How long without a failure before a success ends the outage. */
    static final Duration QUIET = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    /** When the outage began, in nanoTime; 0: the database is available. */
    private static final AtomicLong since = new AtomicLong();
    private static final AtomicLong lastFailure = new AtomicLong();
    private static final AtomicLong failures = new AtomicLong();

    private DatabaseOutage() {
    }

    /**
     * If {@code failure} means the database is unavailable, counts it toward the current outage (logging its start
     * when it is the first) and returns true; otherwise returns false, for the caller to log it as usual.
     */
    public static boolean report(Throwable failure) {
        Throwable cause = DatabaseUnavailable.cause(failure);
        if (cause == null) {
            return false;
        }
        long now = nonZero(System.nanoTime());
        lastFailure.set(now);
        failures.incrementAndGet();
        if (since.get() == 0 && since.compareAndSet(0, now)) {
            LOG.errorf("Database unavailable: %s; requests are answered 503 with Retry-After until it is back, and "
                    + "background work waits (logged once per outage)", describe(cause));
            LOG.debug("Database unavailable", failure);
        }
        return true;
    }

    /** Something that needed the database succeeded (or may have): ends an outage that has been quiet long enough. */
    public static void succeeded() {
        long began = since.get();
        if (began == 0 || System.nanoTime() - lastFailure.get() < QUIET.toNanos()) {
            return;
        }
        if (since.compareAndSet(began, 0)) {
            long failed = failures.getAndSet(0);
            LOG.infof("Database available again after %.1f s; %d requests or background steps failed meanwhile",
                    (lastFailure.get() - began) / 1e9, failed);
        }
    }

    /** Whether an outage is going on (a success then needs to be reported). */
    public static boolean ongoing() {
        return since.get() != 0;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getName() + message;
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }
}
