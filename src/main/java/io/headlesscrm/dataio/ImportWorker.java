package io.headlesscrm.dataio;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.work.JobLease;
import io.headlesscrm.common.work.WorkLoop;
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
    private static final int ATTEMPTS = 3;

    @Inject
    ImportsConfig config;
    @Inject
    ImportStep step;
    private JobLease lease;

    @PostConstruct
    void init() {
        lease = JobLease.ofJobs("import_job", config::lease);
    }

    @Scheduled(every = "${crm.imports.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return WorkLoop.drain(() -> lease.claim().flatMap(id -> id == null ? Uni.createFrom().item(false)
                : run(id).replaceWith(true)), LOG, "Import worker");
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
                        : lease.renew(id).flatMap(owned -> !owned ? Uni.createFrom().item(false)
                                : step.next(job).invoke(more -> {
                                    if (!more) {
                                        job.finish(ImportStatus.SUCCEEDED, null);
                                    }
                                }))))
                .onFailure(e -> Problems.isUniqueViolation(e, null) || Problems.isConcurrentWrite(e))
                .retry().atMost(ATTEMPTS);
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
