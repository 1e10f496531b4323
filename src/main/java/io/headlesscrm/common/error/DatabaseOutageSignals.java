package io.headlesscrm.common.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.FailedExecution;
import io.quarkus.scheduler.SuccessfulExecution;
import io.vertx.ext.web.Router;

/**
 * Tells {@link DatabaseOutage} what requests and scheduled jobs find: an answered request (below 500) and a
 * completed job are signs the database is back; a job that failed because it is unavailable counts toward the
 * outage instead of logging an ERROR with its stack every tick. Other job failures are logged here, as Quarkus
 * would (its own line is switched off in application.properties, which would log the outage every tick). GraphQL's
 * log of a field that failed for the same reason is dropped likewise.
 */
@ApplicationScoped
public class DatabaseOutageSignals {

    private static final Logger LOG = Logger.getLogger(DatabaseOutageSignals.class);
    /** Ahead of authentication, which may need the database itself (API keys). */
    private static final int ORDER = -999;

    /**
     * SmallRye GraphQL logs every failed field at ERROR with its stack (SRGQL012000); one that failed because the
     * database is unavailable is reported by {@code common/graphql/UnavailableErrors} instead. Held here: a JUL
     * logger nobody references may be collected with its filter.
     */
    private static final java.util.logging.Logger GRAPHQL = java.util.logging.Logger.getLogger("io.smallrye.graphql");

    void start(@Observes StartupEvent start) {
        GRAPHQL.setFilter(record -> record.getThrown() == null || !DatabaseUnavailable.causedBy(record.getThrown()));
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(rc -> {
            if (DatabaseOutage.ongoing()) { // nothing to do per request while the database is up
                rc.addEndHandler(v -> {
                    if (rc.response().getStatusCode() < 500) {
                        DatabaseOutage.succeeded();
                    }
                });
            }
            rc.next();
        });
    }

    void succeeded(@Observes SuccessfulExecution execution) {
        DatabaseOutage.succeeded();
    }

    void failed(@Observes FailedExecution execution) {
        if (!DatabaseOutage.report(execution.getException())) {
            LOG.errorf(execution.getException(), "Error occurred while executing task for trigger %s",
                    execution.getExecution().getTrigger().getId());
        }
    }
}
