package io.headlesscrm.touchpoint;

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
 * Deletes touchpoints older than {@code crm.touchpoints.retention}, with their status history (none by default:
 * reaches are kept until a deployer sets one); on every instance, side by side.
 */
@ApplicationScoped
public class TouchpointRetention {

    @ConfigProperty(name = "crm.touchpoints.retention")
    Optional<Duration> retention;
    @Inject
    Pool pool;

    /** Deletes what is past the retention period now; the touchpoints deleted. */
    public Uni<Long> purge() {
        return Purge.olderThan(pool, "touchpoint", "created_at", retention);
    }

    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().replaceWithVoid();
    }
}
