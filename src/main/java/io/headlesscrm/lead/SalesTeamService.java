package io.headlesscrm.lead;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Crud;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Sales teams, audited in the transaction of the change; a team an assignment rule names cannot be deleted. */
@ApplicationScoped
class SalesTeamService implements Crud.Service<SalesTeamInput, SalesTeamView> {

    static final String ENTITY = "sales_team";

    @Inject
    SalesTeamRepository repository;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;

    @Override
    public Uni<SalesTeamView> create(SalesTeamInput input) {
        check(input);
        UUID id = Leads.newId();
        return Panache.withTransaction(() -> repository.insert(id, input).flatMap(v -> repository.read(id))
                .call(view -> audit.created(ENTITY, id, snapshot(view))))
                .onFailure(e -> Problems.isUniqueViolation(e, "sales_team_key_key")).transform(e -> ProblemException
                        .conflict("duplicate-key", "key", "A sales team with the key '" + input.key() + "' exists"));
    }

    @Override
    public Uni<SalesTeamView> get(UUID id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Sales team", id));
    }

    @Override
    public Uni<Page.Slice<SalesTeamView>> list(Cursor after, int limit) {
        return repository.list(after, limit);
    }

    /** An RFC 7396 merge patch; reps given replace the list whole. */
    @Override
    public Uni<SalesTeamView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        JsonMergePatch.requireObject(patch);
        return get(id).flatMap(before -> {
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw ProblemException.preconditionFailed("Sales team " + id + " is at version " + before.version()
                        + ", not " + expectedVersion);
            }
            SalesTeamInput after = JsonMergePatch.patched(mapper, before.input(), patch, SalesTeamInput.class);
            check(after);
            return Panache.withTransaction(() -> repository.update(id, before.version(), after).flatMap(updated -> {
                if (!updated) {
                    throw ProblemException.preconditionFailed("Sales team " + id + " changed meanwhile");
                }
                return repository.read(id);
            }).call(view -> audit.updated(ENTITY, id, snapshot(before), snapshot(view))))
                    .onFailure(e -> Problems.isUniqueViolation(e, "sales_team_key_key")).transform(e -> ProblemException
                            .conflict("duplicate-key", "key", "A sales team with the key '" + after.key() + "' exists"));
        });
    }

    @Override
    public Uni<Void> delete(UUID id) {
        return get(id).flatMap(before -> Panache.withTransaction(() -> repository.lock(id)
                .flatMap(found -> repository.delete(id)).call(() -> audit.deleted(ENTITY, id, snapshot(before)))))
                .onFailure(e -> Problems.isForeignKeyViolation(e, "lead_assignment_rule_team_id_fkey"))
                .transform(e -> ProblemException.conflict("team-in-use", null, "An assignment rule assigns to this "
                        + "team: change or delete the rule first"));
    }

    private void check(SalesTeamInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        Set<String> seen = new java.util.HashSet<>();
        List<FieldError> errors = new java.util.ArrayList<>();
        for (int i = 0; i < input.reps().size(); i++) {
            if (!seen.add(input.reps().get(i).actorId().trim())) {
                errors.add(new FieldError("reps[" + i + "].actorId", "is in the team already"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }


    private Map<String, Object> snapshot(SalesTeamView view) {
        return audit.snapshot(view, "id", "createdAt", "updatedAt", "version");
    }
}
