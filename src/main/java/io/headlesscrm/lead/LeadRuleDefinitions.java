package io.headlesscrm.lead;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.CronSchedules;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.property.PropertyView;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Checks a lead rule and compiles it: each step's and conversion's property filters to a predicate over event
 * {@code e} (as an event condition's where is compiled), the customer condition to a scoped predicate over customer
 * {@code c}. Event types must be known: some property is declared for them. Every problem names its field.
 */
@ApplicationScoped
class LeadRuleDefinitions {

    static final Duration MAX_WINDOW = Duration.ofDays(90);
    static final Duration MAX_COOLDOWN = Duration.ofDays(365);

    /**
     * A checked rule: its compiled predicates, every event type it reads (what ingestion queues for it), and (a pull)
     * when it first pulls.
     */
    record Plan(LeadRuleInput input, LeadRuleVersion.Compiled compiled, List<String> eventTypes, Instant nextPull) {
    }

    @Inject
    InputValidator validator;
    @Inject
    CronSchedules crons;
    @Inject
    ConditionCompiler compiler;
    @Inject
    PropertyCatalog properties;
    @Inject
    ObjectMapper mapper;

    Uni<Plan> check(LeadRuleInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        if (input.pull() == null) {
            windows(input, errors);
        } else {
            pull(input, errors);
        }
        periods(input, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return properties.all().flatMap(declared -> {
            Set<String> known = new java.util.HashSet<>();
            declared.all().stream().map(PropertyView::eventType).filter(t -> t != null).forEach(known::add);
            List<String> types = new ArrayList<>();
            List<JsonNode> wheres = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < input.steps().size(); i++) {
                LeadRuleInput.Step s = input.steps().get(i);
                add(s.eventType(), s.where(), "steps[" + i + "]", known, types, wheres, fields, errors);
            }
            List<LeadRuleInput.EventMatch> conversions = conversions(input);
            for (int i = 0; i < conversions.size(); i++) {
                LeadRuleInput.EventMatch c = conversions.get(i);
                add(c.eventType(), c.where(), "conversions[" + i + "]", known, types, wheres, fields, errors);
            }
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            return Multi.createFrom().range(0, types.size()).onItem()
                    .transformToUniAndConcatenate(i -> compiler.eventFilter(types.get(i), wheres.get(i), fields.get(i)))
                    .collect().asList()
                    .flatMap(filters -> (input.customer() == null ? Uni.createFrom().<String>nullItem()
                            : compiler.compile(input.customer()).onFailure(ProblemException.class)
                                    .transform(e -> renamed((ProblemException) e, "customer"))
                                    .map(ConditionCompiler.Compiled::scoped))
                            .map(customer -> plan(input, types, filters, customer, nextPull(input))));
        });
    }

    private static Plan plan(LeadRuleInput input, List<String> types, List<String> filters, String customer,
            Instant nextPull) {
        int steps = input.steps().size();
        List<String> predicates = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            predicates.add("e.type = " + io.headlesscrm.common.SqlLiteral.text(types.get(i)) + " AND (" + filters.get(i) + ")");
        }
        return new Plan(input, new LeadRuleVersion.Compiled(predicates.subList(0, steps),
                predicates.subList(steps, predicates.size()), customer), List.copyOf(new LinkedHashSet<>(types)),
                nextPull);
    }

    private void add(String type, List<JsonNode> where, String field, Set<String> known, List<String> types,
            List<JsonNode> wheres, List<String> fields, List<FieldError> errors) {
        if (!known.contains(type)) {
            errors.add(new FieldError(field + ".eventType", "'" + type + "' is not a known event type: declare a "
                    + "property for it first (POST /api/v1/properties)"));
        }
        types.add(type);
        wheres.add(where == null ? null : mapper.valueToTree(where));
        fields.add(field + ".where");
    }

    /** Windows: over zero, at most P90D; a sequence needs one overall and can complete within it. */
    /** When a pull rule first pulls: its schedule's next fire after now; null for a rule of steps. */
    private Instant nextPull(LeadRuleInput input) {
        return input.pull() == null ? null : crons.next(input.pull().cron(), zone(input.pull()), Instant.now())
                .orElseThrow();
    }

    static ZoneId zone(LeadRuleInput.Pull pull) {
        return pull.timeZone() == null ? ZoneId.of("UTC") : ZoneId.of(pull.timeZone());
    }

    /** A pull: a schedule firing at most once a minute, a customer condition, and none of what steps take. */
    private void pull(LeadRuleInput input, List<FieldError> errors) {
        LeadRuleInput.Pull pull = input.pull();
        if (!input.steps().isEmpty()) {
            errors.add(new FieldError("steps", "a pull rule has no steps: it makes leads on its schedule"));
        }
        if (input.within() != null) {
            errors.add(new FieldError("within", "a pull rule has no window"));
        }
        if (input.conversions() != null && !input.conversions().isEmpty()) {
            errors.add(new FieldError("conversions", "a pull rule has no conversions"));
        }
        if (input.customer() == null) {
            errors.add(new FieldError("customer", "a pull rule needs the customers to pull: an audience, tags, "
                    + "buckets or attributes"));
        }
        ZoneId zone;
        try {
            zone = zone(pull);
        } catch (java.time.DateTimeException e) {
            errors.add(new FieldError("pull.timeZone", "is not a time zone"));
            return;
        }
        String problem = crons.problem(pull.cron(), zone);
        if (problem != null) {
            errors.add(new FieldError("pull.cron", problem));
        }
    }

    private static void windows(LeadRuleInput input, List<FieldError> errors) {
        List<LeadRuleInput.Step> steps = input.steps();
        if (steps.isEmpty()) {
            errors.add(new FieldError("steps", "a rule needs at least one step, or a pull schedule"));
            return;
        }
        Duration absences = Duration.ZERO;
        for (int i = 0; i < steps.size(); i++) {
            LeadRuleInput.Step s = steps.get(i);
            String field = "steps[" + i + "]";
            if (i == 0 && s.then() != null) {
                errors.add(new FieldError(field + ".then", s.absence() ? "the first step cannot be a NOT: an absence "
                        + "is counted from the step before it" : "the first step has no then"));
            }
            if (i == 0 && s.within() != null) {
                errors.add(new FieldError(field + ".within", "the first step has no window: give the rule's within"));
            }
            if (s.absence() && s.within() == null) {
                errors.add(new FieldError(field + ".within", "a NOT step needs the time the event must stay absent"));
            }
            if (s.within() != null && !positive(s.within())) {
                errors.add(new FieldError(field + ".within", "must be over zero and at most P90D"));
            }
            if (s.absence() && s.within() != null) {
                absences = absences.plus(s.within());
            }
        }
        if (steps.size() == 1 && input.within() != null) {
            errors.add(new FieldError("within", "a rule of one step has no window (it fires on the event)"));
        } else if (steps.size() > 1 && input.within() == null) {
            errors.add(new FieldError("within", "a sequence needs an overall window, such as PT2H"));
        } else if (input.within() != null && !positive(input.within())) {
            errors.add(new FieldError("within", "must be over zero and at most P90D"));
        } else if (input.within() != null && absences.compareTo(input.within()) >= 0) {
            errors.add(new FieldError("within", "the sequence can never complete: its NOT steps take " + absences
                    + ", which does not leave time within " + input.within()));
        }
    }

    /** The periods every rule may give: its cooldown and its leads' expiry. */
    private static void periods(LeadRuleInput input, List<FieldError> errors) {
        if (input.cooldown() != null && (input.cooldown().isNegative() || input.cooldown().compareTo(MAX_COOLDOWN) > 0)) {
            errors.add(new FieldError("cooldown", "must be from zero to P365D"));
        }
        Duration expires = input.lead() == null ? null : input.lead().expiresAfter();
        if (expires != null && (expires.compareTo(Duration.ofMinutes(1)) < 0 || expires.compareTo(MAX_COOLDOWN) > 0)) {
            errors.add(new FieldError("lead.expiresAfter", "must be from PT1M to P365D"));
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero() && d.compareTo(MAX_WINDOW) <= 0;
    }

    static List<LeadRuleInput.EventMatch> conversions(LeadRuleInput input) {
        return input.conversions() == null ? List.of() : input.conversions();
    }

    /** A condition's errors, named {@code field} (the compiler names them condition). */
    static ProblemException renamed(ProblemException e, String field) {
        return e.errors().isEmpty() ? e : ProblemException.validation(e.errors().stream()
                .map(f -> new FieldError(field, f.message(), f.pointer())).toList());
    }
}
