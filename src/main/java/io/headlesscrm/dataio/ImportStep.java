package io.headlesscrm.dataio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.tag.Tag;
import io.headlesscrm.tag.TagBulkService;
import io.headlesscrm.touchpoint.ConsentService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies one chunk of an import in the caller's transaction: its rows' customers, then their tags and consents,
 * the failed rows' reasons, the job's counters, and the chunk's deletion, so the chunk is applied exactly once. A
 * row fails as a whole: one with an unknown tag writes no customer either.
 */
@ApplicationScoped
class ImportStep {

    private static final String NEXT = "SELECT seq, first_line, body FROM import_chunk WHERE job_id = ?1"
            + " ORDER BY seq LIMIT 1";
    private static final String ERRORS = "INSERT INTO import_error (job_id, line, n, field, reason)"
            + " SELECT ?1, e.line, e.n, e.field, e.reason FROM unnest(CAST(?2 AS bigint[]), CAST(?3 AS smallint[]),"
            + " CAST(?4 AS text[]), CAST(?5 AS text[])) AS e(line, n, field, reason)";
    private static final String DONE = "DELETE FROM import_chunk WHERE job_id = ?1 AND seq = ?2";

    @Inject
    CustomerBatch customers;
    @Inject
    TagBulkService tags;
    @Inject
    ConsentService consents;
    @Inject
    PropertyCatalog properties;
    @Inject
    ObjectMapper mapper;

    /** Applies the job's next chunk; false when none is left. */
    Uni<Boolean> next(ImportJob job) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(NEXT, Object[].class).setParameter(1, job.id)
                .getResultList())
                .flatMap(chunks -> chunks.isEmpty() ? Uni.createFrom().item(false)
                        : apply(job, (Integer) chunks.get(0)[0], ((Number) chunks.get(0)[1]).longValue(),
                                (byte[]) chunks.get(0)[2]).replaceWith(true));
    }

    private Uni<Void> apply(ImportJob job, int seq, long firstLine, byte[] body) {
        return properties.customerAttributes().flatMap(declared -> {
            List<ImportRows.Parsed> rows = new ImportRows(job, declared.all(), mapper).parse(firstLine, body);
            Set<String> keys = new HashSet<>();
            rows.forEach(r -> keys.addAll(r.tags()));
            return tags.byKeys(keys).flatMap(known -> write(job, rows, declared, known));
        }).call(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(DONE).setParameter(1, job.id)
                .setParameter(2, seq).executeUpdate()));
    }

    private Uni<Void> write(ImportJob job, List<ImportRows.Parsed> rows, PropertyCatalog.Declarations declared,
            Map<String, Tag> known) {
        Map<Long, List<FieldError>> failed = new LinkedHashMap<>();
        List<CustomerBatch.Row> clean = new ArrayList<>();
        Map<Long, ImportRows.Parsed> byLine = new HashMap<>();
        for (ImportRows.Parsed row : rows) {
            List<FieldError> errors = new ArrayList<>(row.errors());
            row.tags().stream().filter(k -> !known.containsKey(k))
                    .forEach(k -> errors.add(new FieldError("tags", "no tag has the key '" + k + "'")));
            if (errors.isEmpty()) {
                clean.add(row.row());
                byLine.put(row.line(), row);
            } else {
                failed.put(row.line(), errors);
            }
        }
        return customers.write(clean, declared, job.matchKey, job.mode, job.webhooks, job.requester.actor(),
                job.requester.requestId)
                .flatMap(outcomes -> {
                    Map<UUID, List<Tag>> tagged = new LinkedHashMap<>();
                    List<ConsentService.Grant> grants = new ArrayList<>();
                    for (CustomerBatch.Outcome o : outcomes) {
                        switch (o.result()) {
                            case CREATED -> job.created++;
                            case UPDATED -> job.updated++;
                            case UNCHANGED -> job.unchanged++;
                            case FAILED -> failed.put(o.line(), o.errors());
                        }
                        if (o.customerId() != null) {
                            ImportRows.Parsed row = byLine.get(o.line());
                            row.tags().forEach(k -> tagged.computeIfAbsent(o.customerId(), c -> new ArrayList<>())
                                    .add(known.get(k)));
                            row.consents().forEach((channel, status) -> grants.add(
                                    new ConsentService.Grant(o.customerId(), channel, status)));
                        }
                    }
                    job.read += rows.size();
                    job.failed += failed.size();
                    return tags.assignImported(tagged, job.requester.actor(), job.requester.requestId, job.webhooks)
                            .call(() -> consents.setAll(grants, "import", job.requester.actor(), job.requester.requestId))
                            .call(() -> errors(job, failed)).replaceWithVoid();
                });
    }

    private Uni<Void> errors(ImportJob job, Map<Long, List<FieldError>> failed) {
        List<Long> lines = new ArrayList<>();
        List<Short> ns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        failed.forEach((line, errors) -> {
            for (short n = 0; n < errors.size(); n++) {
                lines.add(line);
                ns.add(n);
                fields.add(errors.get(n).field());
                reasons.add(errors.get(n).message());
            }
        });
        if (lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery(ERRORS).setParameter(1, job.id)
                .setParameter(2, lines.toArray(Long[]::new)).setParameter(3, ns.toArray(Short[]::new))
                .setParameter(4, fields.toArray(String[]::new)).setParameter(5, reasons.toArray(String[]::new))
                .executeUpdate()).replaceWithVoid();
    }
}
