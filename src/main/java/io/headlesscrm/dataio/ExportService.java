package io.headlesscrm.dataio;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.RequestIds;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.customer.CustomerInput;
import io.headlesscrm.security.Permissions;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.segment.SegmentMemberships;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Export jobs: defining one, polling it, cancelling it, and reading its file. */
@ApplicationScoped
public class ExportService {

    static final String ENTITY = "export-job";
    static final Keyset KEYSET = Keyset.byId("id", "j.id", true);
    private static final Pattern ATTRIBUTE = Pattern.compile("attributes\\." + CustomerInput.ATTRIBUTE_NAME);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    SegmentMemberships segments;
    @Inject
    ObjectMapper mapper;
    @Inject
    SecurityIdentity identity;
    @Inject
    Pool pool;

    /** Queues an export; contact fields are masked when the requester may not read them. */
    public Uni<ExportJobView> create(ExportDefinition definition) {
        if (definition == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(definition);
        List<FieldError> errors = checkFields(definition.fieldsOrDefault());
        List<String> buckets = definition.buckets() == null ? List.of() : definition.buckets();
        boolean masked = !Permissions.granted(identity, Permissions.CUSTOMERS_READ_CONTACT);
        return segments.dimensions(buckets).flatMap(found -> {
            for (int i = 0; i < buckets.size(); i++) {
                if (!found.contains(buckets.get(i))) {
                    errors.add(new FieldError("buckets[" + i + "]", "no dimension has the key '" + buckets.get(i) + "'"));
                } else if (buckets.indexOf(buckets.get(i)) < i) {
                    errors.add(new FieldError("buckets[" + i + "]", "'" + buckets.get(i) + "' is listed twice"));
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            CustomerFilter filter = definition.filter() == null ? CustomerFilter.NONE : definition.filter();
            return Panache.withTransaction(() -> audit.currentActor().flatMap(actor -> {
                ExportJob job = new ExportJob(definition, mapper.convertValue(filter, MAP), masked, actor,
                        RequestIds.current());
                return Panache.getSession().flatMap(s -> s.persist(job).call(s::flush)).map(v -> view(job))
                        .call(view -> audit.created(ENTITY, job.id, Map.of("format", job.format.name(), "fields",
                                List.of(job.fields), "tags", job.tags, "buckets", List.of(job.buckets), "filter",
                                job.filter, "masked", masked)));
            }));
        });
    }

    private static List<FieldError> checkFields(List<String> fields) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (!ExportDefinition.FIELDS.contains(field) && !field.equals("attributes")
                    && !ATTRIBUTE.matcher(field).matches()) {
                errors.add(new FieldError("fields[" + i + "]", "unknown field '" + field + "': one of "
                        + ExportDefinition.FIELDS + ", attributes, attributes.<name>"));
            } else if (!seen.add(field)) {
                errors.add(new FieldError("fields[" + i + "]", "'" + field + "' is listed twice"));
            }
        }
        return errors;
    }

    public Uni<ExportJobView> job(UUID id) {
        return find(id).map(this::view);
    }

    private Uni<ExportJob> find(UUID id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> s.find(ExportJob.class, id)))
                .map(job -> require(job, id));
    }

    /** Exports newest first. */
    public Uni<Page.Slice<ExportJobView>> jobs(Cursor after, int limit) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> {
            KeysetQuery q = KeysetQuery.hql("from ExportJob j").page(KEYSET, after, limit);
            var query = s.createSelectionQuery(q.query(), ExportJob.class);
            q.named().forEach(query::setParameter);
            return query.setMaxResults(q.fetch()).getResultList();
        })).map(jobs -> Page.slice(jobs.stream().map(this::view).toList(), limit, j -> KEYSET.cursor(j.id(), j.id())));
    }

    /** Cancels an export not yet finished: what it wrote is deleted. */
    public Uni<ExportJobView> cancel(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(ExportJob.class, id, LockModeType.PESSIMISTIC_WRITE).flatMap(found -> {
                    ExportJob job = require(found, id);
                    ExportStatus before = job.status;
                    if (before.finished()) {
                        throw ProblemException.conflict("job-finished", null,
                                "The export has already finished (" + before + ")");
                    }
                    job.finish(ExportStatus.CANCELLED, null);
                    return s.createNativeQuery("DELETE FROM export_chunk WHERE job_id = ?1").setParameter(1, id)
                            .executeUpdate()
                            .call(() -> audit.updated(ENTITY, id, Map.of("status", before.name()),
                                    Map.of("status", job.status.name())))
                            .map(n -> view(job));
                })));
    }

    /** A finished export's file: the job (to name it) and its chunks, read one at a time as they are sent. */
    public record File(ExportJobView job, Multi<Buffer> body) {
    }

    public Uni<File> file(UUID id) {
        return find(id).map(job -> {
            if (job.status == ExportStatus.EXPIRED) {
                throw new ProblemException(410, "export-expired", "Export expired", "The file was deleted at "
                        + job.expiresAt + "; export again", List.of());
            }
            if (job.status != ExportStatus.SUCCEEDED) {
                throw ProblemException.conflict("export-not-ready", null, "The export is " + job.status
                        + ": its file can be downloaded once it is SUCCEEDED");
            }
            Multi<Buffer> body = Multi.createFrom().range(0, job.chunks).onItem().transformToUniAndConcatenate(seq -> pool
                    .preparedQuery("SELECT body FROM export_chunk WHERE job_id = $1 AND seq = $2")
                    .execute(Tuple.of(id, seq)).map(rows -> {
                        if (rows.size() == 0) { // expired while it was being sent
                            throw new IllegalStateException("Export " + id + " lost chunk " + seq);
                        }
                        return rows.iterator().next().getBuffer(0);
                    }));
            return new File(view(job), body);
        });
    }

    ExportJobView view(ExportJob job) {
        return ExportJobView.of(job, mapper.convertValue(job.filter, CustomerFilter.class));
    }

    private static ExportJob require(ExportJob job, UUID id) {
        if (job == null) {
            throw ProblemException.notFound("Export", id);
        }
        return job;
    }
}
