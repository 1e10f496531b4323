package io.headlesscrm.common.error;

import java.util.List;

/**
 * 503 Service Unavailable with {@code Retry-After}: the request may well succeed when repeated a little later (the
 * database is unavailable, see {@link DatabaseUnavailable}). Nothing about the request was wrong.
 */
public final class ServiceUnavailable extends ProblemException {

    /**
     * The Retry-After, in seconds: the outages seen (a restart, a crash with a few seconds down, a freeze) last
     * seconds, and a pool reconnects on the next request once the database is back.
     */
    public static final int RETRY_AFTER_SECONDS = 3;
    /** How an operation documents it. */
    public static final String DESCRIPTION = "The database is unavailable for the moment; repeat the request after"
            + " Retry-After seconds";

    private final transient Throwable failure;

    /** For {@code failure}, which {@link DatabaseUnavailable} recognised. */
    public ServiceUnavailable(Throwable failure) {
        super(503, "service-unavailable", "Service unavailable", "The database is unavailable for the moment; retry in "
                + RETRY_AFTER_SECONDS + " s", List.of());
        this.failure = failure;
    }

    /** Counts the failure toward the database outage, which is logged once, when it begins (not per answer). */
    public void report() {
        DatabaseOutage.report(failure);
    }

    public int retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
