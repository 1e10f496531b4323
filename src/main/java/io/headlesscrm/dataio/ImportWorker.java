package io.headlesscrm.dataio;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.headlesscrm.common.error.Problems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs imports. Each instance claims one queued import at a time (or a running one whose lease lapsed, as its
 * instance died) and applies its file chunk by chunk, one transaction each ({@link ImportStep}), renewing the lease.
 * A step that loses a race with another writer (a unique key, a version) is tried again, seeing the winner's row;
 * one that fails three times fails the job with the reason, its applied chunks staying applied.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final String CLAIM = "UPDATE import_job SET status = 'RUNNING', owner = ?1,"
            + " lease_until = now() + make_interval(secs => ?2), started_at = coalesce(started_at, now())"
            + " WHERE id = (SELECT id FROM import_job WHERE status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now())"
            + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id";
    private static final String RENEW = "UPDATE import_job SET lease_until = now() + make_interval(secs => ?3)"
            + " WHERE id = ?1 AND owner = ?2";
    private static final int ATTEMPTS = 3;

    private final String owner = UUID.randomUUID().toString();

    @ConfigProperty(name = "crm.imports.lease", defaultValue = "60s")
    Duration lease;
    @Inject
    ImportStep step;

    @Scheduled(every = "${crm.imports.poll-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(CLAIM, UUID.class)
                .setParameter(1, owner).setParameter(2, (double) lease.toSeconds()).getResultList()))
                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().voidItem() : run(claimed.get(0)));
    }

    private Uni<Void> run(UUID id) {
        LOG.debugf("Running import %s", id);
        return Multi.createBy().repeating().uni(() -> next(id)).whilst(more -> more).collect().last()
                .onFailure().call(e -> fail(id, e)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One chunk in one transaction; false when the job is done, cancelled or taken over. */
    private Uni<Boolean> next(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ImportJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .flatMap(job -> job == null || job.status != ImportStatus.RUNNING ? Uni.createFrom().item(false)
                        : renew(id).flatMap(owned -> !owned ? Uni.createFrom().item(false)
                                : step.next(job).invoke(more -> {
                                    if (!more) {
                                        job.finish(ImportStatus.SUCCEEDED, null);
                                    }
                                }))))
                .onFailure(e -> Problems.isUniqueViolation(e, null) || Problems.isConcurrentWrite(e))
                .retry().atMost(ATTEMPTS);
    }

    private Uni<Boolean> renew(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(RENEW).setParameter(1, id).setParameter(2, owner)
                .setParameter(3, (double) lease.toSeconds()).executeUpdate()).map(n -> n == 1);
    }

    private Uni<Void> fail(UUID id, Throwable e) {
        LOG.errorf(e, "Import %s failed", id);
        String why = "A chunk failed: " + e.getMessage();
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ImportJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .invoke(job -> {
                    if (job != null && !job.status.finished()) {
                        job.finish(ImportStatus.FAILED, why.length() <= 500 ? why : why.substring(0, 499) + "…");
                    }
                })).replaceWithVoid();
    }
}
