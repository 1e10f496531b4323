package io.headlesscrm.security.audit;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.headlesscrm.common.Purge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes audit entries older than {@code crm.audit.retention} (none by default: the law and the books decide how
 * long they are kept, so a deployer sets it); on every instance, side by side.
 */
@ApplicationScoped
public class AuditRetention {

    @ConfigProperty(name = "crm.audit.retention")
    Optional<Duration> retention;
    @Inject
    Pool pool;

    /** Deletes what is past the retention period now; the entries deleted. */
    public Uni<Long> purge() {
        return Purge.olderThan(pool, "audit_log", "occurred_at", retention);
    }

    @Scheduled(every = "10m", delayed = "3m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().replaceWithVoid();
    }
}
