package io.headlesscrm.common;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Purges every {@link Retention} the features produce, one table after the other, on every instance side by side
 * ({@link Purge#olderThan} skips the rows another instance is deleting).
 */
@ApplicationScoped
public class RetentionPurge {

    private final Pool pool;
    private final List<Retention> retentions;

    @Inject
    RetentionPurge(Pool pool, @Any Instance<Retention> retentions) {
        this.pool = pool;
        this.retentions = retentions.stream().toList();
    }

    /** Deletes what of {@code table} is past its retention period now; the rows deleted. */
    public Uni<Long> purge(String table) {
        Retention retention = retentions.stream().filter(r -> r.table().equals(table)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No retention for " + table));
        return Purge.olderThan(pool, retention.table(), retention.timeColumn(), retention.period());
    }

    /** Each table on its own: one failing (logged by the scheduler) does not keep the others from their purge. */
    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (retentions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(retentions.stream().map(r -> purge(r.table())).toList()).andCollectFailures()
                .replaceWithVoid();
    }
}
