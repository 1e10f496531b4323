package io.headlesscrm.lead;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.idempotency.IdempotencyStore;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Lead rule definitions, audited in the transaction of the change. Each change is a new version: matches pending
 * under the old one go on under it, new matches use the new one. Pausing drops the pending matches.
 */
@ApplicationScoped
class LeadRuleService {

    static final String ENTITY = "lead_rule";
    private static final String IDEMPOTENCY_SCOPE = "lead-rules.create";

    @Inject
    LeadRuleRepository repository;
    @Inject
    LeadRuleDefinitions definitions;
    @Inject
    AuditLog audit;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    ObjectMapper mapper;

    record Created(LeadRuleView rule, boolean replayed) {
    }

    Uni<Created> create(LeadRuleInput input, String idempotencyKey) {
        UUID id = Leads.newId();
        return definitions.check(input).flatMap(plan -> Panache.withTransaction(() -> {
            Uni<Optional<UUID>> prior = idempotencyKey == null ? Uni.createFrom().item(Optional.empty())
                    : idempotency.claim(IDEMPOTENCY_SCOPE, idempotencyKey, input);
            return prior.flatMap(earlier -> earlier.isPresent()
                    ? repository.lock(earlier.get()).map(view -> new Created(view, true))
                    : repository.insert(id, plan).flatMap(v -> repository.lock(id))
                            .call(view -> audit.created(ENTITY, id, snapshot(view)))
                            .call(view -> idempotencyKey == null ? Uni.createFrom().voidItem()
                                    : idempotency.complete(IDEMPOTENCY_SCOPE, idempotencyKey, id))
                            .map(view -> new Created(view, false)));
        })).onFailure(e -> Problems.isUniqueViolation(e, "lead_rule_key_key")).transform(e -> ProblemException
                .conflict("duplicate-key", "key", "A lead rule with the key '" + input.key() + "' exists"));
    }

    Uni<LeadRuleView> get(UUID id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead rule", id));
    }

    Uni<LeadRuleStats> stats(UUID id) {
        return repository.stats(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead rule", id));
    }

    Uni<Page.Slice<LeadRuleView>> list(Boolean active, Cursor after, int limit) {
        return repository.list(active, after, limit);
    }

    /** An RFC 7396 merge patch of the definition (the key stays); lists and objects given replace the old ones. */
    Uni<LeadRuleView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        JsonMergePatch.requireObject(patch);
        return get(id).flatMap(before -> {
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw ProblemException.preconditionFailed("Lead rule " + id + " is at version " + before.version()
                        + ", not " + expectedVersion);
            }
            LeadRuleInput after = JsonMergePatch.patched(mapper, before.input(), patch, LeadRuleInput.class);
            if (after != null && !before.key().equals(after.key())) {
                throw ProblemException.conflict("key-fixed", "key", "A lead rule's key cannot change: its leads name it");
            }
            return definitions.check(after).flatMap(plan -> Panache.withTransaction(() -> repository
                    .update(id, before.version(), plan).flatMap(updated -> {
                        if (!updated) {
                            throw ProblemException.preconditionFailed("Lead rule " + id + " changed meanwhile");
                        }
                        return after.isActive() ? Uni.createFrom().voidItem() : repository.dropMatches(id);
                    }).flatMap(v -> repository.lock(id))
                    .call(view -> audit.updated(ENTITY, id, snapshot(before), snapshot(view)))));
        });
    }

    /** Deletes a rule with its pending matches; its leads stay, their traces naming it. */
    Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> repository.lock(id).flatMap(before -> {
            if (before == null) {
                throw ProblemException.notFound("Lead rule", id);
            }
            return repository.delete(id).call(() -> audit.deleted(ENTITY, id, snapshot(before)));
        }));
    }


    private Map<String, Object> snapshot(LeadRuleView view) {
        return audit.snapshot(view, "id", "createdAt", "updatedAt", "version");
    }
}
