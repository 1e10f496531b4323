package io.headlesscrm.dataio;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.RequestIds;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Import jobs: defining one, polling it, cancelling it, and its error report. */
@ApplicationScoped
public class ImportService {

    static final String ENTITY = "import-job";
    static final Keyset KEYSET = Keyset.byId("id", "j.id", true);
    private static final int REPORT_PAGE = 5000;
    private static final String REPORT = "SELECT line, n, field, reason FROM import_error WHERE job_id = $1"
            + " AND (line, n) > ($2, $3) ORDER BY line, n LIMIT " + REPORT_PAGE;

    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    Pool pool;

    /** Defines an import; its file comes next, by PUT to the job's uploadUrl. */
    public Uni<ImportJobView> create(ImportDefinition definition) {
        if (definition == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(definition);
        List<FieldError> errors = ImportColumns.check(definition.columns(), definition.matchKey());
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return Panache.withTransaction(() -> audit.currentActor().flatMap(actor -> {
            ImportJob job = new ImportJob(definition, actor, RequestIds.current());
            return Panache.getSession().flatMap(s -> s.persist(job).call(s::flush)).map(v -> ImportJobView.of(job))
                    .call(view -> audit.created(ENTITY, job.id, Map.of("format", job.format.name(), "matchKey",
                            job.matchKey.name(), "mode", job.mode.name(), "columns", job.columns)));
        }));
    }

    public Uni<ImportJobView> job(UUID id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> s.find(ImportJob.class, id)))
                .map(job -> ImportJobView.of(require(job, id)));
    }

    /** Imports newest first. */
    public Uni<Page.Slice<ImportJobView>> jobs(Cursor after, int limit) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> {
            KeysetQuery q = KeysetQuery.hql("from ImportJob j").page(KEYSET, after, limit);
            var query = s.createSelectionQuery(q.query(), ImportJob.class);
            q.named().forEach(query::setParameter);
            return query.setMaxResults(q.fetch()).getResultList();
        })).map(jobs -> Page.slice(jobs.stream().map(ImportJobView::of).toList(), limit,
                j -> KEYSET.cursor(j.id(), j.id())));
    }

    /** Cancels an import not yet finished: the chunk in flight commits, the rest of the file is dropped. */
    public Uni<ImportJobView> cancel(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ImportJob.class, id, LockModeType.PESSIMISTIC_WRITE).flatMap(found -> {
                    ImportJob job = require(found, id);
                    // an upload holds a lease: one that lapsed (its instance died) can be cancelled
                    return s.createNativeQuery(UploadLease.HELD, Boolean.class).setParameter(1, id).getSingleResult()
                            .flatMap(leased -> cancel(s, job, leased));
                })));
    }

    private Uni<ImportJobView> cancel(Mutiny.Session s, ImportJob job, boolean leased) {
        UUID id = job.id;
        ImportStatus before = job.status;
        if (before.finished()) {
            throw ProblemException.conflict("job-finished", null, "The import has already finished (" + before + ")");
        }
        if (before == ImportStatus.UPLOADING && leased) {
            throw ProblemException.conflict("upload-in-progress", null,
                    "The file is being uploaded; cancel once it is, or abort the upload");
        }
        job.finish(ImportStatus.CANCELLED, null);
        return s.createNativeQuery("DELETE FROM import_chunk WHERE job_id = ?1").setParameter(1, id).executeUpdate()
                .call(() -> audit.updated(ENTITY, id, Map.of("status", before.name()),
                        Map.of("status", job.status.name())))
                .map(n -> ImportJobView.of(job));
    }

    /** The error report as CSV (line,field,reason), read a page at a time while it is sent. */
    public Multi<String> report(UUID id) {
        return job(id).onItem().transformToMulti(job -> Multi.createBy().concatenating().streams(
                Multi.createFrom().item("line,field,reason\n"),
                Multi.createBy().repeating().uni(() -> new long[] { 0, -1 }, after -> page(id, after))
                        .whilst(page -> page.rows() == REPORT_PAGE).map(ReportPage::csv).filter(csv -> !csv.isEmpty())));
    }

    private record ReportPage(String csv, int rows) {
    }

    /** The page after {@code after} (line, n); {@code after} moves to its last row. */
    private Uni<ReportPage> page(UUID id, long[] after) {
        return pool.preparedQuery(REPORT).execute(Tuple.of(id, after[0], (short) after[1])).map(rows -> {
            StringBuilder csv = new StringBuilder();
            int count = 0;
            for (Row r : rows) {
                after[0] = r.getLong(0);
                after[1] = r.getShort(1);
                csv.append(after[0]).append(',').append(CsvCells.quote(r.getString(2))).append(',').append(CsvCells.quote(r.getString(3)))
                        .append('\n');
                count++;
            }
            return new ReportPage(csv.toString(), count);
        });
    }

    private static ImportJob require(ImportJob job, UUID id) {
        if (job == null) {
            throw ProblemException.notFound("Import", id);
        }
        return job;
    }
}
