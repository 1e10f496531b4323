package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Assignment rules, checked (the team and the rules they name must exist, the customer condition compiles) and
 * audited in the transaction of the change.
 */
@ApplicationScoped
class AssignmentRuleService implements Crud.Service<AssignmentRuleInput, AssignmentRuleView> {

    static final String ENTITY = "lead_assignment_rule";

    @Inject
    AssignmentRuleRepository repository;
    @Inject
    SalesTeamRepository teams;
    @Inject
    ConditionCompiler compiler;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;
    @Inject
    LeadRuleRepository leadRules;
    @Inject
    PropertyCatalog properties;

    /** A checked rule: its team's id and its compiled customer condition. */
    private record Checked(UUID team, String customer) {
    }

    @Override
    public Uni<AssignmentRuleView> create(AssignmentRuleInput input) {
        UUID id = Leads.newId();
        return check(input).flatMap(c -> Panache.withTransaction(() -> repository.insert(id, input, c.team(), c.customer())
                .flatMap(v -> repository.read(id)).call(view -> audit.created(ENTITY, id, snapshot(view)))))
                .onFailure(e -> Problems.isUniqueViolation(e, "lead_assignment_rule_key_key")).transform(e ->
                        ProblemException.conflict("duplicate-key", "key", "An assignment rule with the key '"
                                + input.key() + "' exists"));
    }

    @Override
    public Uni<AssignmentRuleView> get(UUID id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Assignment rule", id));
    }

    @Override
    public Uni<Page.Slice<AssignmentRuleView>> list(Cursor after, int limit) {
        return repository.list(after, limit);
    }

    @Override
    public Uni<AssignmentRuleView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        JsonMergePatch.requireObject(patch);
        return get(id).flatMap(before -> {
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw ProblemException.preconditionFailed("Assignment rule " + id + " is at version "
                        + before.version() + ", not " + expectedVersion);
            }
            AssignmentRuleInput after = JsonMergePatch.patched(mapper, before.input(), patch, AssignmentRuleInput.class);
            return check(after).flatMap(c -> Panache.withTransaction(() -> repository.update(id, before.version(),
                    after.position() == null ? new AssignmentRuleInput(after.key(), after.name(), before.position(),
                            after.when(), after.team(), after.strategy(), after.territoryAttribute()) : after,
                    c.team(), c.customer()).flatMap(updated -> {
                        if (!updated) {
                            throw ProblemException.preconditionFailed("Assignment rule " + id + " changed meanwhile");
                        }
                        return repository.read(id);
                    }).call(view -> audit.updated(ENTITY, id, snapshot(before), snapshot(view)))));
        });
    }

    @Override
    public Uni<Void> delete(UUID id) {
        return get(id).flatMap(before -> Panache.withTransaction(() -> repository.delete(id)
                .call(() -> audit.deleted(ENTITY, id, snapshot(before))))).replaceWithVoid();
    }

    private Uni<Checked> check(AssignmentRuleInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        if (input.strategy() == AssignmentRuleInput.Strategy.TERRITORY && input.territoryAttribute() == null) {
            errors.add(new FieldError("territoryAttribute", "TERRITORY needs the customer attribute holding the territory"));
        }
        if (input.strategy() != AssignmentRuleInput.Strategy.TERRITORY && input.territoryAttribute() != null) {
            errors.add(new FieldError("territoryAttribute", "only a TERRITORY rule reads a territory"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        List<String> rules = input.when() == null || input.when().rules() == null ? List.of() : input.when().rules();
        String territory = input.territoryAttribute();
        return teams.byKey(input.team()).flatMap(team -> leadRules.existingKeys(rules).flatMap(known -> (territory == null
                ? Uni.createFrom().item(true) : properties.declaresCustomerAttribute(territory)).flatMap(declared -> {
                    if (!declared) {
                        // the rule segment conditions apply to an attribute they name: it must be declared
                        errors.add(new FieldError("territoryAttribute", "'" + territory + "' is not a declared attribute"));
                    }
                    if (team == null) {
                        errors.add(new FieldError("team", "no sales team has the key '" + input.team() + "'"));
                    }
                    for (int i = 0; i < rules.size(); i++) {
                        if (!known.contains(rules.get(i))) {
                            errors.add(new FieldError("when.rules[" + i + "]", "no lead rule has the key '"
                                    + rules.get(i) + "'"));
                        }
                    }
                    if (!errors.isEmpty()) {
                        throw ProblemException.validation(errors);
                    }
                    JsonNode customer = input.when() == null ? null : input.when().customer();
                    return (customer == null ? Uni.createFrom().<String>nullItem() : compiler.compile(customer)
                            .onFailure(ProblemException.class).transform(e -> LeadRuleDefinitions.renamed(
                                    (ProblemException) e, "when.customer"))
                            .map(ConditionCompiler.Compiled::scoped))
                            .map(predicate -> new Checked(team.id(), predicate));
                })));
    }


    private Map<String, Object> snapshot(AssignmentRuleView view) {
        return audit.snapshot(view, "id", "createdAt", "updatedAt", "version");
    }
}
