package io.headlesscrm.tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Tag definitions: unique keys, merge-patch updates, and deletion that is explicit about assignments. */
@ApplicationScoped
public class TagService {

    static final String ENTITY = "tag";
    static final Keyset KEYSET = new Keyset("key", KeyType.STRING, "t.key", "t.id", false);
    private static final String KEY_CONSTRAINT = "tag_key_key";
    private static final String[] NOT_AUDITED = { "id", "version", "createdAt", "updatedAt", "customerCount" };

    @Inject
    TagRepository repository;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;
    @Inject
    TagAssignments assignments;
    @Inject
    TagCache cache;

    public Uni<TagView> create(TagInput input) {
        return Panache.withTransaction(() -> {
            validator.validate(input);
            Tag tag = new Tag();
            tag.apply(input, now());
            return repository.persistAndFlush(tag)
                    .call(saved -> audit.created(ENTITY, saved.getId(), snapshot(saved)))
                    .map(saved -> TagView.of(saved, 0))
                    .onFailure(e -> Problems.isUniqueViolation(e, KEY_CONSTRAINT))
                    .transform(e -> duplicateKey(input.key()));
        });
    }

    @WithSession
    public Uni<TagView> get(String key) {
        return load(key).flatMap(this::withCount);
    }

    /** A page of tags with their customer counts: two statements, whatever the page size. */
    @WithSession
    public Uni<Page.Slice<TagView>> list(String category, Cursor after, int limit) {
        return repository.page(category, after, limit).flatMap(tags -> assignments
                .countsFor(tags.stream().map(Tag::getId).toList())
                .map(counts -> Page.slice(tags.stream().map(t -> TagView.of(t, counts.getOrDefault(t.getId(), 0L)))
                        .toList(), limit, t -> KEYSET.cursor(t.key(), t.id()))));
    }

    /**
     * An RFC 7396 merge patch of name, category, description and color; the key cannot change. Cached tag sets
     * show name, category and color, so a change to one of those invalidates all of them after it commits; a
     * change of description alone leaves the cache be.
     */
    public Uni<TagView> patch(String key, JsonNode patch, Long expectedVersion) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("invalid-field", null, "A patch must be a JSON object");
        }
        return Panache.withTransaction(() -> patchInTransaction(key, patch, expectedVersion)
                .call(p -> p.shownFieldsChanged() ? AfterCommit.call(cache::invalidateAll) : Uni.createFrom().voidItem()))
                .map(Patched::tag);
    }

    private record Patched(TagView tag, boolean shownFieldsChanged) {

        static Patched of(TagView before, TagView after) {
            return new Patched(after, !Objects.equals(before.name(), after.name())
                    || !Objects.equals(before.category(), after.category())
                    || !Objects.equals(before.color(), after.color()));
        }
    }

    private Uni<Patched> patchInTransaction(String key, JsonNode patch, Long expectedVersion) {
        return load(key).flatMap(tag -> {
            if (expectedVersion != null && expectedVersion != tag.getVersion()) {
                throw ProblemException.preconditionFailed("Tag " + key + " is at version " + tag.getVersion()
                        + ", not " + expectedVersion);
            }
            TagInput merged = merge(tag, patch);
            if (!key.equals(merged.key())) {
                throw ProblemException.validation(List.of(new FieldError("key", "cannot change; create a new tag")));
            }
            validator.validate(merged);
            TagView shownBefore = TagView.of(tag, 0);
            Map<String, Object> before = snapshot(tag);
            tag.apply(merged, now());
            return repository.flush().call(() -> audit.updated(ENTITY, tag.getId(), before, snapshot(tag)))
                    .flatMap(v -> withCount(tag)).map(after -> Patched.of(shownBefore, after));
        });
    }

    /**
     * Deletes a tag. A tag that customers carry is only deleted with {@code force}, and then its assignments go
     * in the same transaction; those customers' cached tag sets are invalidated after it commits.
     */
    public Uni<Void> delete(String key, boolean force) {
        return Panache.withTransaction(() -> load(key).flatMap(tag -> assignments.countFor(tag.getId())
                .flatMap(assigned -> {
                    if (assigned > 0 && !force) {
                        throw ProblemException.conflict("tag-in-use", null, "Tag " + key + " is assigned to " + assigned
                                + " customers; delete it with force=true to remove those assignments too");
                    }
                    Map<String, Object> before = snapshot(tag);
                    return assignments.deleteAllOf(tag.getId()).call(removed -> repository.delete(tag))
                            .call(() -> audit.deleted(ENTITY, tag.getId(), before));
                })))
                .flatMap(cache::invalidate);
    }

    Uni<Tag> load(String key) {
        if (key == null || !key.matches(TagInput.KEY_PATTERN)) { // no tag can have it: not worth a query
            return Uni.createFrom().failure(ProblemException.notFound("Tag", key));
        }
        return repository.findByKey(key).onItem().ifNull().failWith(() -> ProblemException.notFound("Tag", key));
    }

    private TagInput merge(Tag t, JsonNode patch) {
        TagInput current = new TagInput(t.getKey(), t.getName(), t.getCategory(), t.getDescription(), t.getColor());
        try {
            return mapper.treeToValue(JsonMergePatch.apply(mapper.valueToTree(current), patch), TagInput.class);
        } catch (JsonProcessingException e) {
            throw Problems.from(e);
        }
    }

    private Uni<TagView> withCount(Tag t) {
        return assignments.countFor(t.getId()).map(n -> TagView.of(t, n));
    }

    private Map<String, Object> snapshot(Tag t) {
        return audit.snapshot(TagView.of(t, 0), NOT_AUDITED);
    }

    private static ProblemException duplicateKey(String key) {
        return ProblemException.conflict("duplicate-key", "key", "A tag with key '" + key + "' already exists");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
