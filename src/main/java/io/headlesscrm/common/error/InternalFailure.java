package io.headlesscrm.common.error;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.headlesscrm.common.RequestIds;

/**
 * A failure the server did not expect, as the caller sees it: a 500 {@code internal-error} carrying the id it was
 * logged under, so a report quoting that id finds the one log entry with its stack trace (and the request's id).
 * Every surface (REST's problem+json, GraphQL's error extensions, routes) reports such failures through
 * {@link #report}, and nowhere else logs them.
 */
public final class InternalFailure extends ProblemException {

    private static final Logger LOG = Logger.getLogger(InternalFailure.class);

    private final String errorId;

    private InternalFailure(String errorId) {
        super(500, "internal-error", "Internal error", "The server failed to handle the request; it is logged as "
                + errorId + ": quote that id when reporting it", List.of());
        this.errorId = errorId;
    }

    /** Logs {@code failure} once, under a fresh id, and returns what the caller is told. */
    public static InternalFailure report(Throwable failure, String where) {
        InternalFailure reported = new InternalFailure(UUID.randomUUID().toString());
        LOG.errorf(failure, "Internal error %s in %s (request %s)", reported.errorId, where, RequestIds.current());
        return reported;
    }

    public String errorId() {
        return errorId;
    }

    @Override
    public Problem toProblem(String instance) {
        return super.toProblem(instance).withErrorId(errorId);
    }

    @Override
    public Map<String, Object> getExtensions() {
        return Map.of("code", slug(), "errorId", errorId);
    }
}
