package io.headlesscrm.campaign;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.idempotency.IdempotencyStore;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Campaign definitions (audited, in the transaction of the change): every definition is checked and compiled when
 * saved. Once a campaign has started, what decides who is reached and how (audience, channel, variant rules and
 * weights, schedule, holdout) is fixed; names, goal, content, priority, caps and quiet hours may still change.
 */
@ApplicationScoped
public class CampaignService {

    static final String ENTITY = "campaign";
    private static final String IDEMPOTENCY_SCOPE = "campaigns.create";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    CampaignRepository repository;
    @Inject
    CampaignDefinitions definitions;
    @Inject
    AuditLog audit;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    ObjectMapper mapper;

    /** A campaign created, or the one an earlier request with the same idempotency key created ({@code replayed}). */
    public record Created(CampaignView campaign, boolean replayed) {
    }

    /**
     * Creates a draft. With an idempotency key, a repeat of the same request returns the campaign the first one
     * created; the same key with another body is a 422.
     */
    public Uni<Created> create(CampaignInput input, String idempotencyKey) {
        UUID id = UuidVersion7Strategy.INSTANCE.generateUuid(null);
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        return definitions.check(input).flatMap(plan -> Panache.withTransaction(() -> {
            Uni<Optional<UUID>> prior = idempotencyKey == null ? Uni.createFrom().item(Optional.empty())
                    : idempotency.claim(IDEMPOTENCY_SCOPE, idempotencyKey, input);
            return prior.flatMap(earlier -> earlier.isPresent()
                    ? repository.lock(earlier.get()).map(view -> new Created(view, true))
                    : repository.insert(id, plan, HexFormat.of().formatHex(salt)).flatMap(v -> repository.lock(id))
                            .call(view -> audit.created(ENTITY, id, snapshot(view)))
                            .call(view -> idempotencyKey == null ? Uni.createFrom().voidItem()
                                    : idempotency.complete(IDEMPOTENCY_SCOPE, idempotencyKey, id))
                            .map(view -> new Created(view, false)));
        }));
    }

    public Uni<CampaignView> get(UUID id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Campaign", id));
    }

    public Uni<Page.Slice<CampaignView>> list(CampaignStatus status, Cursor after, int limit) {
        return repository.list(status, after, limit);
    }

    /** An RFC 7396 merge patch of the definition; lists and objects given replace the old ones whole. */
    public Uni<CampaignView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        JsonMergePatch.requireObject(patch);
        return get(id).flatMap(before -> {
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw ProblemException.preconditionFailed("Campaign " + id + " is at version " + before.version()
                        + ", not " + expectedVersion);
            }
            CampaignInput after = JsonMergePatch.patched(mapper, before.input(), patch, CampaignInput.class);
            checkEditable(before, after);
            return definitions.check(after).flatMap(plan -> Panache.withTransaction(() -> repository
                    .update(id, before.version(), plan).flatMap(updated -> {
                        if (!updated) {
                            throw ProblemException.preconditionFailed("Campaign " + id + " changed meanwhile");
                        }
                        return repository.lock(id);
                    }).call(view -> audit.updated(ENTITY, id, snapshot(before), snapshot(view)))));
        });
    }

    /** Deletes a campaign that is not under way (draft, completed or cancelled), with its runs and their history. */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> repository.lock(id).flatMap(before -> {
            if (before == null) {
                throw ProblemException.notFound("Campaign", id);
            }
            if (!before.status().finished() && before.status() != CampaignStatus.DRAFT) {
                throw ProblemException.conflict("campaign-active", "status", "A " + before.status()
                        + " campaign cannot be deleted; cancel it first");
            }
            return repository.delete(id).call(() -> audit.deleted(ENTITY, id, snapshot(before))).replaceWithVoid();
        }));
    }

    private static void checkEditable(CampaignView before, CampaignInput after) {
        if (before.status().finished()) {
            throw ProblemException.conflict("campaign-finished", "status", "A " + before.status()
                    + " campaign cannot change");
        }
        if (before.status().editable()) {
            return;
        }
        CampaignInput was = before.input();
        List<String> fixed = new java.util.ArrayList<>();
        check(fixed, "audience", was.audience(), after.audience());
        check(fixed, "channel", was.channel(), after.channel());
        check(fixed, "schedule", was.schedule(), after.schedule());
        check(fixed, "holdoutPercent", was.holdoutPercent(), after.holdoutPercent());
        boolean sameRules = was.variants().size() == after.variants().size();
        for (int i = 0; sameRules && i < was.variants().size(); i++) {
            CampaignInput.Variant a = was.variants().get(i);
            CampaignInput.Variant b = after.variants().get(i);
            sameRules = a.key().equals(b.key()) && Objects.equals(a.rule(), b.rule())
                    && Objects.equals(a.weight(), b.weight());
        }
        if (!sameRules) {
            fixed.add("variants");
        }
        if (!fixed.isEmpty()) {
            throw new ProblemException(409, "campaign-started", "Conflict", "A " + before.status() + " campaign's " + String.join(
                    ", ", fixed) + " cannot change: pause and cancel it, then create a new one",
                    fixed.stream().map(f -> new FieldError(f, "cannot change once the campaign has started")).toList());
        }
    }

    private static void check(List<String> fixed, String field, Object was, Object now) {
        if (was instanceof java.math.BigDecimal a && now instanceof java.math.BigDecimal b ? a.compareTo(b) != 0
                : !Objects.equals(was, now)) {
            fixed.add(field);
        }
    }


    Map<String, Object> snapshot(CampaignView view) {
        return audit.snapshot(view, "id", "createdAt", "updatedAt", "version", "nextRunAt");
    }
}
