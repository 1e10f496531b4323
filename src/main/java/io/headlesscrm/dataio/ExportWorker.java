package io.headlesscrm.dataio;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.work.JobLease;
import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.segment.SegmentMemberships;
import io.headlesscrm.tag.TagAssignments;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Writes exports. Each instance claims one queued export at a time (or a running one whose instance died) and walks
 * its customers in id order, a page per transaction: the page's lines stored as the file's next chunk, with the
 * job's cursor, so a resumed export neither skips nor repeats a customer. Expired files are deleted here too.
 */
@ApplicationScoped
public class ExportWorker {

    private static final Logger LOG = Logger.getLogger(ExportWorker.class);
    private static final String CHUNK = "INSERT INTO export_chunk (job_id, seq, body) VALUES (?1, ?2, ?3)";
    private static final String EXPIRE = "WITH e AS (UPDATE export_job SET status = 'EXPIRED' WHERE status ="
            + " 'SUCCEEDED' AND expires_at < ?1 RETURNING id) DELETE FROM export_chunk WHERE job_id IN (SELECT id FROM e)";
    /**
     * What an erasure withdraws, as it may hold the erased customer: every finished file expires now, and every running
     * export starts again from its first page (its worker, which locks the job for each page, goes on from there).
     * The jobs are locked first ({@link #LOCK_WITHDRAWN}), so that a page being written commits before the chunks are
     * read.
     */
    static final String LOCK_WITHDRAWN = "SELECT count(*) FROM (SELECT id FROM export_job WHERE status IN ('SUCCEEDED',"
            + " 'RUNNING') FOR UPDATE) j";
    static final String WITHDRAW = "WITH e AS (UPDATE export_job SET status = 'EXPIRED', expires_at = least(expires_at,"
            + " now()) WHERE status = 'SUCCEEDED' RETURNING id), r AS (UPDATE export_job SET cursor_id = NULL,"
            + " rows_written = 0, chunks = 0, bytes = 0 WHERE status = 'RUNNING' RETURNING id)"
            + " DELETE FROM export_chunk WHERE job_id IN (SELECT id FROM e UNION ALL SELECT id FROM r)";

    @Inject
    ExportsConfig config;
    @Inject
    CustomerRepository customers;
    @Inject
    TagAssignments tags;
    @Inject
    SegmentMemberships segments;
    @Inject
    ObjectMapper mapper;
    @Inject
    ServiceClock clock;
    private JobLease lease;

    @PostConstruct
    void init() {
        lease = JobLease.ofJobs("export_job", config::lease);
    }

    @Scheduled(every = "${crm.exports.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return WorkLoop.drain(() -> Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.createNativeQuery(EXPIRE).setParameter(1, clock.instant()).executeUpdate()))
                .chain(lease::claim).flatMap(id -> id == null ? Uni.createFrom().item(false)
                        : run(id).replaceWith(true)), LOG, "Export worker");
    }

    private Uni<Void> run(UUID id) {
        LOG.debugf("Running export %s", id);
        return Multi.createBy().repeating().uni(() -> next(id)).whilst(more -> more).collect().last()
                .onFailure().call(e -> fail(id, e)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One page in one transaction; false when the export is done, cancelled or taken over. */
    private Uni<Boolean> next(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ExportJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .flatMap(job -> job == null || job.status != ExportStatus.RUNNING ? Uni.createFrom().item(false)
                        : lease.renew(id).flatMap(owned -> !owned ? Uni.createFrom().item(false) : page(job))));
    }

    private Uni<Boolean> page(ExportJob job) {
        CustomerFilter filter = mapper.convertValue(job.filter, CustomerFilter.class);
        int size = config.pageSize();
        return customers.idsAfter(filter, job.cursorId, size).flatMap(ids -> items(job, ids).flatMap(items -> {
            ExportWriter writer = new ExportWriter(job, mapper);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (job.chunks == 0) {
                body.writeBytes(writer.header());
            }
            body.writeBytes(writer.write(items));
            boolean more = ids.size() == size;
            if (!more) {
                job.finish(ExportStatus.SUCCEEDED, null);
                job.expiresAt = clock.instant().plus(config.keep());
                job.cursorId = null; // it names a customer, whom an erasure must find nowhere
            }
            if (body.size() == 0) {
                return Uni.createFrom().item(more);
            }
            job.rows += items.size();
            job.bytes += body.size();
            if (more) {
                job.cursorId = ids.get(ids.size() - 1);
            }
            int seq = job.chunks++;
            return Panache.getSession().flatMap(s -> s.createNativeQuery(CHUNK).setParameter(1, job.id)
                    .setParameter(2, seq).setParameter(3, body.toByteArray()).executeUpdate()).replaceWith(more);
        }));
    }

    /** The page's customers (those deleted since their id was read are left out), with tags and buckets if asked. */
    private Uni<List<ExportWriter.Item>> items(ExportJob job, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> dimensions = List.of(job.buckets);
        return customers.views(ids, !job.masked).flatMap(views -> {
            List<UUID> found = views.stream().map(CustomerView::id).toList();
            Uni<List<List<String>>> tagged = job.tags ? tags.keysOf(found)
                    : Uni.createFrom().item(Collections.nCopies(found.size(), List.of()));
            return tagged.flatMap(keys -> (dimensions.isEmpty()
                    ? Uni.createFrom().item(Collections.nCopies(found.size(), Map.<String, String>of()))
                    : segments.buckets(found, dimensions)).map(buckets -> {
                        List<ExportWriter.Item> items = new ArrayList<>(views.size());
                        for (int i = 0; i < views.size(); i++) {
                            items.add(new ExportWriter.Item(views.get(i), keys.get(i), buckets.get(i)));
                        }
                        return items;
                    }));
        });
    }

    private Uni<Void> fail(UUID id, Throwable e) {
        LOG.errorf(e, "Export %s failed", id);
        String why = "A page failed: " + e.getMessage();
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ExportJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .call(job -> {
                    if (job == null || job.status.finished()) {
                        return Uni.createFrom().voidItem();
                    }
                    job.finish(ExportStatus.FAILED, why.length() <= 500 ? why : why.substring(0, 499) + "…");
                    return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM export_chunk WHERE"
                            + " job_id = ?1").setParameter(1, id).executeUpdate());
                })).replaceWithVoid();
    }
}
