package io.headlesscrm.segment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.segment.SegmentRepository.BucketRow;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.headlesscrm.segment.condition.ConditionCompiler.Compiled;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Defines segments (audited): every condition is compiled when saved, so a definition that is stored can always be
 * evaluated; a cycle between segments is refused. Saving asks for a full recompute, which the upkeep runs. A write's
 * checks against other segments and its audit row are made in its own transaction, after it took the graph lock.
 */
@ApplicationScoped
public class SegmentService {

    static final String AUDIENCE_BUCKET = "members";
    private static final String ENTITY = "segment";
    private static final String KEY_CONSTRAINT = "segment_key_key";

    @Inject
    SegmentRepository repository;
    @Inject
    ConditionCompiler compiler;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;

    /** A definition ready to store: its buckets compiled, what they read, whether they move with time. */
    private record Definition(List<BucketRow> buckets, List<UUID> dependsOn, boolean timeRelative,
            Map<UUID, FieldError> readAt) {
    }

    public Uni<SegmentView> createAudience(SegmentInput.Audience input) {
        required(input);
        validator.validate(input);
        return create(SegmentKind.AUDIENCE, input.key(), input.name(), input.description(), false,
                List.of(new SegmentInput.Bucket(AUDIENCE_BUCKET, input.name(), input.condition())));
    }

    public Uni<SegmentView> createDimension(SegmentInput.Dimension input, boolean builtIn) {
        required(input);
        validator.validate(input);
        return create(SegmentKind.DIMENSION, input.key(), input.name(), input.description(), builtIn, input.buckets());
    }

    private Uni<SegmentView> create(SegmentKind kind, String key, String name, String description, boolean builtIn,
            List<SegmentInput.Bucket> buckets) {
        UUID id = UuidVersion7Strategy.INSTANCE.generateUuid(null);
        return compile(kind, buckets).flatMap(d -> Panache.withTransaction(() -> repository.lockGraph()
                .call(() -> checkGraph(id, d))
                .call(() -> repository.insert(id, kind, key, name, description, builtIn, d.dependsOn(),
                        d.timeRelative(), d.buckets()))
                .flatMap(v -> repository.findInTransaction(id))
                .call(view -> audit.created(ENTITY, id, snapshot(view)))))
                .onFailure(e -> Problems.isUniqueViolation(e, KEY_CONSTRAINT))
                .transform(e -> ProblemException.conflict("segment-exists", "key", "A segment with the key " + key
                        + " exists already"));
    }

    public Uni<SegmentView> get(UUID id) {
        return repository.find(id).map(v -> {
            if (v == null) {
                throw ProblemException.notFound("Segment", id);
            }
            return v;
        });
    }

    public Uni<Page.Slice<SegmentView>> list(SegmentKind kind, Cursor after, int limit) {
        return repository.list(kind, after, limit);
    }

    /**
     * An RFC 7396 merge patch of name, description and condition (an audience) or buckets (a dimension, the whole
     * list); key and kind cannot change. Members are brought up to date by a full recompute.
     */
    public Uni<SegmentView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("invalid-field", null, "The body must be a JSON merge patch object");
        }
        return get(id).flatMap(before -> {
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw ProblemException.preconditionFailed("Segment " + before.key() + " is at version "
                        + before.version() + ", not " + expectedVersion);
            }
            ObjectNode current = mapper.createObjectNode().put("key", before.key()).put("name", before.name());
            current.put("description", before.description());
            if (before.kind() == SegmentKind.AUDIENCE) {
                current.set("condition", before.condition());
            } else {
                current.set("buckets", mapper.valueToTree(before.buckets().stream()
                        .map(b -> new SegmentInput.Bucket(b.key(), b.name(), b.condition())).toList()));
            }
            // a condition or bucket list is a whole: given, it replaces the old one rather than merging into it
            patch.fieldNames().forEachRemaining(f -> {
                if (f.equals("condition") || f.equals("buckets")) {
                    current.remove(f);
                }
            });
            JsonNode merged = JsonMergePatch.apply(current, patch);
            List<SegmentInput.Bucket> buckets;
            String name;
            String description;
            if (before.kind() == SegmentKind.AUDIENCE) {
                SegmentInput.Audience in = convert(merged, SegmentInput.Audience.class);
                validator.validate(in);
                checkKey(before, in.key());
                buckets = List.of(new SegmentInput.Bucket(AUDIENCE_BUCKET, in.name(), in.condition()));
                name = in.name();
                description = in.description();
            } else {
                SegmentInput.Dimension in = convert(merged, SegmentInput.Dimension.class);
                validator.validate(in);
                checkKey(before, in.key());
                buckets = in.buckets();
                name = in.name();
                description = in.description();
            }
            return compile(before.kind(), buckets).flatMap(d -> Panache.withTransaction(() -> repository.lockGraph()
                    .call(() -> checkGraph(id, d))
                    .flatMap(v -> repository.update(id, before.version(), name, description, d.dependsOn(),
                            d.timeRelative(), d.buckets()))
                    .flatMap(updated -> {
                        if (!updated) {
                            throw ProblemException.preconditionFailed("Segment " + before.key()
                                    + " was changed meanwhile; read it again");
                        }
                        return repository.findInTransaction(id);
                    })
                    .call(after -> audit.updated(ENTITY, id, snapshot(before), snapshot(after)))));
        });
    }

    /**
     * Deletes a segment that is not built in and that no other segment's condition reads: checked under the graph lock
     * in the deleting transaction, so no segment can start reading it before the delete commits.
     */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> repository.lockGraph().flatMap(v -> repository.findInTransaction(id))
                .flatMap(view -> {
                    if (view == null) {
                        throw ProblemException.notFound("Segment", id);
                    }
                    if (view.builtIn()) {
                        throw ProblemException.conflict("segment-built-in", null, "Segment " + view.key()
                                + " is built in: edit its buckets instead");
                    }
                    return repository.dependents(id).flatMap(dependents -> {
                        if (!dependents.isEmpty()) {
                            throw ProblemException.conflict("segment-in-use", null, "Segment " + view.key()
                                    + " is read by the conditions of " + dependents + "; change those first");
                        }
                        return repository.delete(id).call(() -> audit.deleted(ENTITY, id, snapshot(view)));
                    });
                })).replaceWithVoid();
    }

    private Uni<Definition> compile(SegmentKind kind, List<SegmentInput.Bucket> buckets) {
        List<FieldError> shape = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < buckets.size(); i++) {
            SegmentInput.Bucket b = buckets.get(i);
            String at = kind == SegmentKind.AUDIENCE ? "condition" : "buckets[" + i + "]";
            boolean last = i == buckets.size() - 1 && kind == SegmentKind.DIMENSION;
            if (!keys.add(b.key())) {
                shape.add(new FieldError(at + ".key", "is used by another bucket"));
            }
            if (last && b.condition() != null && !b.condition().isNull()) {
                shape.add(new FieldError(at + ".condition", "the last bucket is the catch-all: it has no condition"));
            } else if (!last && (b.condition() == null || b.condition().isNull())) {
                shape.add(new FieldError(kind == SegmentKind.AUDIENCE ? at : at + ".condition", "is required"));
            }
        }
        if (!shape.isEmpty()) {
            throw ProblemException.validation(shape);
        }
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            fields.add(kind == SegmentKind.AUDIENCE ? "condition" : "buckets[" + i + "].condition");
        }
        Uni<List<Compiled>> all = compiler.compileAll(buckets.stream()
                .map(b -> b.condition() == null || b.condition().isNull() ? null : b.condition()).toList(), fields);
        return all.map(compiled -> {
            List<BucketRow> rows = new ArrayList<>();
            Set<UUID> dependsOn = new LinkedHashSet<>();
            Map<UUID, FieldError> readAt = new java.util.HashMap<>();
            boolean timeRelative = false;
            for (int i = 0; i < buckets.size(); i++) {
                Compiled c = compiled.get(i);
                SegmentInput.Bucket b = buckets.get(i);
                rows.add(new BucketRow(b.key(), b.name(), c == null ? null : b.condition(), c == null ? null : c.scoped()));
                if (c != null) {
                    dependsOn.addAll(c.references().keySet());
                    String field = fields.get(i);
                    c.references().forEach((segment, pointer) -> readAt.putIfAbsent(segment, new FieldError(field,
                            "reads a segment that reads this one (directly or through others): a cycle", pointer)));
                    timeRelative |= c.timeRelative();
                }
            }
            return new Definition(rows, List.copyOf(dependsOn), timeRelative, readAt);
        });
    }

    /**
     * The checks of a definition of {@code id} against the other segments, in the writing transaction under
     * {@link SegmentRepository#lockGraph()} (compiling read them earlier, outside it): every segment it reads still
     * exists (one deleted meanwhile would leave a condition reading nothing), and none of them (through others) reads
     * {@code id} (a cycle).
     */
    private Uni<Void> checkGraph(UUID id, Definition definition) {
        return repository.dependencies().map(graph -> {
            List<FieldError> gone = definition.dependsOn().stream().filter(read -> !graph.containsKey(read))
                    .map(read -> definition.readAt().get(read)).map(at -> new FieldError(at.field(),
                            "reads a segment that was deleted meanwhile", at.pointer())).toList();
            if (!gone.isEmpty()) {
                throw ProblemException.validation(gone);
            }
            for (UUID read : definition.dependsOn()) {
                Deque<UUID> pending = new ArrayDeque<>(List.of(read));
                Set<UUID> seen = new HashSet<>();
                while (!pending.isEmpty()) {
                    UUID next = pending.pop();
                    if (next.equals(id)) {
                        throw ProblemException.validation(List.of(definition.readAt().get(read)));
                    }
                    if (seen.add(next)) {
                        pending.addAll(graph.getOrDefault(next, List.of()));
                    }
                }
            }
            return null;
        });
    }

    private static void checkKey(SegmentView before, String key) {
        if (!before.key().equals(key)) {
            throw ProblemException.validation(List.of(new FieldError("key", "cannot change; create a new segment")));
        }
    }

    private <T> T convert(JsonNode merged, Class<T> type) {
        try {
            return mapper.treeToValue(merged, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw Problems.from(e);
        }
    }

    private static void required(Object input) {
        if (input == null) {
            throw ProblemException.badRequest("invalid-field", null, "The body must be a segment definition object");
        }
    }

    private Map<String, Object> snapshot(SegmentView view) {
        return audit.snapshot(view, "id", "createdAt", "updatedAt", "version", "refreshing", "refreshedAt");
    }
}
