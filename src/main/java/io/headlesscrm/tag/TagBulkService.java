package io.headlesscrm.tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.RequestIds;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Bulk tag changes. By customer ids (at most {@value BulkTagInput#MAX_CUSTOMERS}) they apply at once and all or
 * nothing: if any tag or customer is unknown, the 422 lists exactly those items and nothing is written. By a
 * customer filter they become a {@link TagJob} that {@link TagJobWorker} runs in the background.
 */
@ApplicationScoped
public class TagBulkService {

    static final String JOB_ENTITY = "tag-job";
    static final Keyset JOB_KEYSET = Keyset.byId("id", "j.id", true);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    InputValidator validator;
    @Inject
    TagRepository tags;
    @Inject
    BulkTagging bulk;
    @Inject
    CustomerRepository customers;
    @Inject
    TagCache cache;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;

    /**
     * Applies a request that lists customer ids, in one transaction. An id of a merged-away customer (an alias) names
     * the survivor; the customers counted are the distinct ones reached.
     */
    public Uni<BulkTagResult> apply(BulkTagInput input) {
        validate(input);
        return Panache.withTransaction(() -> customers.survivorsOf(input.customerIds()).flatMap(survivors -> {
            List<UUID> named = input.customerIds().stream().map(id -> survivors.getOrDefault(id, id)).toList();
            List<UUID> ids = List.copyOf(new LinkedHashSet<>(named));
            // the cache is invalidated after the commit and before the answer: a read after it sees the change
            return AfterCommit.call(() -> cache.invalidate(ids))
                    .chain(() -> tags.findByKeys(input.tags())).flatMap(found -> customers.lockExisting(ids)
                    .flatMap(existing -> {
                        List<FieldError> errors = unknownTags(input.tags(), found);
                        for (int i = 0; i < named.size(); i++) {
                            if (!existing.contains(named.get(i))) {
                                errors.add(new FieldError("customerIds[" + i + "]", "no such customer"));
                            }
                        }
                        if (!errors.isEmpty()) {
                            throw invalidItems(errors);
                        }
                        return audit.currentActor().flatMap(actor -> input.operation() == TagOperation.ASSIGN
                                ? bulk.assign(ids, found, input.sourceOrDefault(), input.expiresAt(), actor,
                                        RequestIds.current())
                                : bulk.remove(ids, found, actor, RequestIds.current()));
                    }))
                    .map(changed -> new BulkTagResult(input.operation(), input.tags(), ids.size(), changed,
                            ids.size() * new LinkedHashSet<>(input.tags()).size() - changed));
        }));
    }

    /** Which of {@code keys} name a tag, for a caller that checks rows before writing them (an import). */
    public Uni<Map<String, Tag>> byKeys(Collection<String> keys) {
        return keys.isEmpty() ? Uni.createFrom().item(Map.of()) : tags.findByKeys(keys)
                .map(found -> found.stream().collect(Collectors.toMap(Tag::getKey, t -> t)));
    }

    /**
     * Gives each customer its tags (as {@link TagSource#IMPORT}) in the caller's transaction, audited, with webhook
     * events unless {@code events} is false; their cached tag sets are invalidated once it commits.
     */
    public Uni<Integer> assignImported(Map<UUID, List<Tag>> tagsByCustomer, Actor actor, String requestId,
            boolean events) {
        if (tagsByCustomer.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<UUID> ids = List.copyOf(tagsByCustomer.keySet());
        return AfterCommit.call(() -> cache.invalidate(ids))
                .chain(() -> bulk.assignEach(tagsByCustomer, TagSource.IMPORT, null, actor, requestId, events));
    }

    /** Queues a request that names customers by a filter as a background job. */
    public Uni<TagJobView> submit(BulkTagInput input) {
        validate(input);
        return Panache.withTransaction(() -> tags.findByKeys(input.tags()).flatMap(found -> {
            List<FieldError> errors = unknownTags(input.tags(), found);
            if (!errors.isEmpty()) {
                throw invalidItems(errors);
            }
            return audit.currentActor().flatMap(actor -> {
                TagJob job = new TagJob(input.operation(), input.tags(), input.sourceOrDefault(), input.expiresAt(),
                        mapper.convertValue(input.filter(), MAP), actor, RequestIds.current());
                return Panache.getSession().flatMap(s -> s.persist(job).call(s::flush))
                        .map(v -> view(job))
                        .call(view -> audit.created(JOB_ENTITY, job.getId(),
                                audit.snapshot(view, "status", "processed", "changed", "createdBy", "createdAt")));
            });
        }));
    }

    public Uni<TagJobView> job(UUID id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> s.find(TagJob.class, id)))
                .map(job -> view(require(job, id)));
    }

    /** Jobs newest first. */
    public Uni<Page.Slice<TagJobView>> jobs(Cursor after, int limit) {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> {
            // UUIDv7 ids grow with time: newest first
            KeysetQuery q = KeysetQuery.hql("from TagJob j").page(JOB_KEYSET, after, limit);
            var query = s.createSelectionQuery(q.query(), TagJob.class);
            q.named().forEach(query::setParameter);
            return query.setMaxResults(q.fetch()).getResultList();
        }))
                .map(jobs -> Page.slice(jobs.stream().map(this::view).toList(), limit,
                        j -> JOB_KEYSET.cursor(j.id(), j.id())));
    }

    /** Cancels a queued or running job: the batch in flight commits, no further one starts. */
    public Uni<TagJobView> cancel(UUID id) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.find(TagJob.class, id, LockModeType.PESSIMISTIC_WRITE))
                .flatMap(job -> {
                    TagJobStatus before = require(job, id).getStatus();
                    if (before.finished()) {
                        throw ProblemException.conflict("job-finished", null,
                                "The job has already finished (" + before + ")");
                    }
                    job.finish(TagJobStatus.CANCELLED, null);
                    return audit.updated(JOB_ENTITY, id, Map.of("status", before.name()),
                            Map.of("status", job.getStatus().name())).map(v -> view(job));
                }));
    }

    CustomerFilter filterOf(TagJob job) {
        return mapper.convertValue(job.getFilter(), CustomerFilter.class);
    }

    private TagJobView view(TagJob job) {
        return TagJobView.of(job, filterOf(job));
    }

    private static TagJob require(TagJob job, UUID id) {
        if (job == null) {
            throw ProblemException.notFound("Tag job", id);
        }
        return job;
    }

    private void validate(BulkTagInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        if ((input.customerIds() == null) == (input.filter() == null)) {
            errors.add(new FieldError(input.filter() == null ? "customerIds" : "filter",
                    "send exactly one of customerIds and filter"));
        } else if (input.customerIds() != null && input.customerIds().isEmpty()) {
            errors.add(new FieldError("customerIds", "must not be empty"));
        }
        if (input.operation() == TagOperation.REMOVE && (input.source() != null || input.expiresAt() != null)) {
            errors.add(new FieldError(input.source() != null ? "source" : "expiresAt", "only for ASSIGN"));
        }
        if (input.expiresAt() != null && !input.expiresAt().isAfter(Instant.now())) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    private static List<FieldError> unknownTags(List<String> keys, List<Tag> found) {
        Set<String> known = new LinkedHashSet<>();
        found.forEach(t -> known.add(t.getKey()));
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!known.contains(keys.get(i))) {
                errors.add(new FieldError("tags[" + i + "]", "unknown tag"));
            }
        }
        return errors;
    }

    private static ProblemException invalidItems(List<FieldError> errors) {
        return new ProblemException(422, "invalid-items", "Invalid items", errors.size()
                + " item(s) of the request are invalid; nothing was applied", errors);
    }
}
