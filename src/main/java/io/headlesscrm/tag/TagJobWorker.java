package io.headlesscrm.tag;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.work.JobLease;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.customer.CustomerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs tag jobs. Each instance claims one queued job at a time (or a running one whose lease has lapsed, as its
 * instance died) and walks the filter's customers in id order, one transaction per batch: the batch's tag
 * changes, their audit rows and the job's progress (its cursor) commit together, and the lease is renewed. So a
 * job resumed elsewhere neither skips nor repeats a batch. A failing batch fails the job with the reason; as assign
 * and remove are idempotent, submitting the job again is safe.
 */
@ApplicationScoped
public class TagJobWorker {

    private static final Logger LOG = Logger.getLogger(TagJobWorker.class);

    @Inject
    TagsConfig config;
    @Inject
    TagBulkService service;
    @Inject
    CustomerRepository customers;
    @Inject
    TagRepository tags;
    @Inject
    BulkTagging bulk;
    @Inject
    TagCache cache;
    private JobLease lease;

    /** What one batch did: the customers it covered, and whether another batch follows. */
    private record Step(List<UUID> customers, boolean more) {
        static final Step STOP = new Step(List.of(), false);
    }

    @PostConstruct
    void init() {
        lease = JobLease.ofJobs("tag_job", () -> config.jobs().lease());
    }

    @Scheduled(every = "${crm.tags.jobs.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return WorkLoop.drain(() -> lease.claim().flatMap(id -> id == null ? Uni.createFrom().item(false)
                : run(id).replaceWith(true)), LOG, "Tag job worker");
    }

    private Uni<Void> run(UUID id) {
        LOG.debugf("Running tag job %s", id);
        return Multi.createBy().repeating().uni(() -> batch(id)).whilst(Step::more).collect().last()
                .onFailure().call(e -> fail(id, e)).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Step> batch(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(TagJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .flatMap(job -> job == null || job.getStatus() != TagJobStatus.RUNNING ? Uni.createFrom().item(Step.STOP)
                        : lease.renew(id).flatMap(owned -> owned ? apply(job) : Uni.createFrom().item(Step.STOP)))
                .call(step -> AfterCommit.call(() -> cache.invalidate(step.customers()))));
    }

    private Uni<Step> apply(TagJob job) {
        CustomerFilter filter = service.filterOf(job);
        Uni<Void> counted = job.getTotal() != null ? Uni.createFrom().voidItem()
                : customers.count(filter).invoke(job::setTotal).replaceWithVoid();
        return counted.flatMap(v -> customers.idsAfter(filter, job.getCursorId(), config.jobs().batchSize())).flatMap(ids -> {
            if (ids.isEmpty()) {
                job.finish(TagJobStatus.SUCCEEDED, null);
                return Uni.createFrom().item(Step.STOP);
            }
            return tags.findByKeys(job.getTagKeys()).flatMap(found -> {
                if (found.size() < job.getTagKeys().size()) {
                    job.finish(TagJobStatus.FAILED, "A tag of the job was deleted while it ran");
                    return Uni.createFrom().item(Step.STOP);
                }
                Uni<Integer> changed = job.getOperation() == TagOperation.ASSIGN
                        ? bulk.assign(ids, found, job.getSource(), job.getExpiresAt(), job.getActor(), job.getRequestId())
                        : bulk.remove(ids, found, job.getActor(), job.getRequestId());
                return changed.map(n -> {
                    job.advance(ids.get(ids.size() - 1), ids.size(), n);
                    return new Step(ids, true);
                });
            });
        });
    }

    private Uni<Void> fail(UUID id, Throwable e) {
        LOG.errorf(e, "Tag job %s failed", id);
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(TagJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .invoke(job -> {
                    if (job != null && !job.getStatus().finished()) {
                        job.finish(TagJobStatus.FAILED, abbreviate("A batch failed: " + e.getMessage()));
                    }
                })).replaceWithVoid();
    }

    private static String abbreviate(String message) {
        return message.length() <= 500 ? message : message.substring(0, 499) + "…";
    }
}
