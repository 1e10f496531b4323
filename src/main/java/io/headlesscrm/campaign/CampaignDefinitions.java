package io.headlesscrm.campaign;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.campaign.CampaignInput.Target;
import io.headlesscrm.campaign.CampaignRules.VariantRule;
import io.headlesscrm.common.CronSchedules;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.headlesscrm.segment.condition.ConditionCompiler.Compiled;
import io.smallrye.mutiny.Uni;

/**
 * Checks a campaign definition and compiles it: its audience, variant rules and entry trigger become conditions of
 * the condition language (so unknown segments, buckets and tags are refused as they are for segments), and the rest
 * is checked here. Every error names its field; nothing is stored unless all of it holds.
 */
@ApplicationScoped
public class CampaignDefinitions {

    static final Duration DEFAULT_CONVERSION_WINDOW = Duration.ofDays(7);
    static final Duration MAX_WINDOW = Duration.ofDays(90);
    private static final Duration MIN_CAP_WINDOW = Duration.ofHours(1);

    @Inject
    ConditionCompiler compiler;
    @Inject
    InputValidator validator;
    @Inject
    CronSchedules crons;
    @Inject
    ObjectMapper mapper;

    /**
     * A definition ready to run: the audience as one predicate over customer c, each variant's rule, and the
     * conversion goal's property filters over event e (null: no goal).
     */
    record Plan(CampaignInput input, String audience, List<VariantRule> variants, String goalFilter) {
    }

    /** Checks {@code input} as a new or changed definition: a schedule AT must then be in the future. */
    Uni<Plan> check(CampaignInput input) {
        return check(input, true);
    }

    /** Compiles a stored definition for a run (its schedule may have passed; what it names may have gone). */
    Uni<Plan> compile(CampaignInput input) {
        return check(input, false);
    }

    private Uni<Plan> check(CampaignInput input, boolean fresh) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<Target> include = input.audience().include();
        List<Target> exclude = input.audience().exclude() == null ? List.of() : input.audience().exclude();
        for (int i = 0; i < include.size(); i++) {
            target(include.get(i), "audience.include[" + i + "]", trees, fields, errors);
        }
        for (int i = 0; i < exclude.size(); i++) {
            target(exclude.get(i), "audience.exclude[" + i + "]", trees, fields, errors);
        }
        variants(input.variants(), trees, fields, errors);
        schedule(input.schedule(), fresh, trees, fields, errors);
        conversion(input.conversion(), errors);
        caps(input.caps(), errors);
        if (input.quietHours() != null) {
            if (input.quietHours().start().equals(input.quietHours().end())) {
                errors.add(new FieldError("quietHours.end", "must differ from start"));
            }
            zone(input.quietHours().timeZone(), "quietHours.timeZone", errors);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        CampaignInput.Conversion goal = input.conversion();
        return compiler.compileAll(trees, fields).flatMap(compiled -> (goal == null ? Uni.createFrom().<String>nullItem()
                : compiler.eventFilter(goal.eventType(), goal.where() == null ? null : mapper.valueToTree(goal.where()),
                        "conversion.where"))
                .map(filter -> plan(input, include.size(), exclude.size(), compiled, filter)));
    }

    private static Plan plan(CampaignInput input, int includes, int excludes, List<Compiled> compiled, String goal) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < includes; i++) {
            in.add("(" + compiled.get(i).sql() + ")");
        }
        StringBuilder audience = new StringBuilder("(").append(String.join(" OR ", in)).append(")");
        for (int i = includes; i < includes + excludes; i++) {
            audience.append(" AND NOT (").append(compiled.get(i).sql()).append(")");
        }
        List<VariantRule> variants = new ArrayList<>();
        int at = includes + excludes;
        for (CampaignInput.Variant v : input.variants()) {
            String predicate = v.rule() == null ? null : compiled.get(at++).sql();
            variants.add(new VariantRule(v.key(), v.rule(), predicate, v.weight() == null ? 1 : v.weight()));
        }
        return new Plan(input, audience.toString(), variants, goal);
    }

    /** An audience entry or rule as a condition: {"segment": k}, {"segment": k, "bucket": b} or {"tags": {"any": [t]}}. */
    private void target(Target t, String field, List<JsonNode> trees, List<String> fields, List<FieldError> errors) {
        boolean segment = t.segment() != null;
        if (segment == (t.tag() != null) || (t.bucket() != null && !segment)) {
            errors.add(new FieldError(field, "needs segment (and, for a dimension, bucket) or tag, not both"));
            return;
        }
        ObjectNode tree = mapper.createObjectNode();
        if (segment) {
            tree.put("segment", t.segment());
            if (t.bucket() != null) {
                tree.put("bucket", t.bucket());
            }
        } else {
            tree.putObject("tags").putArray("any").add(t.tag());
        }
        trees.add(tree);
        fields.add(field);
    }

    private void variants(List<CampaignInput.Variant> variants, List<JsonNode> trees, List<String> fields,
            List<FieldError> errors) {
        Set<String> keys = new HashSet<>();
        boolean defaulted = false;
        for (int i = 0; i < variants.size(); i++) {
            CampaignInput.Variant v = variants.get(i);
            String field = "variants[" + i + "]";
            if (!keys.add(v.key())) {
                errors.add(new FieldError(field + ".key", "repeats an earlier variant's key"));
            }
            boolean sameGroup = i > 0 && Objects.equals(variants.get(i - 1).rule(), v.rule());
            if (defaulted && !sameGroup) {
                errors.add(new FieldError(field, "is never chosen: an earlier default variant takes everyone"));
            }
            defaulted |= v.rule() == null;
            if (v.rule() != null) {
                target(v.rule(), field + ".rule", trees, fields, errors);
            }
        }
    }

    private void schedule(CampaignInput.Schedule s, boolean fresh, List<JsonNode> trees, List<String> fields,
            List<FieldError> errors) {
        switch (s.type()) {
            case NOW -> none(s.at() != null || s.cron() != null || s.entering() != null, "schedule", "NOW takes no "
                    + "at, cron or entering", errors);
            case AT -> {
                if (s.at() == null) {
                    errors.add(new FieldError("schedule.at", "is required for AT"));
                } else if (fresh && !s.at().isAfter(Instant.now())) {
                    errors.add(new FieldError("schedule.at", "is in the past"));
                }
                none(s.cron() != null || s.entering() != null, "schedule", "AT takes no cron or entering", errors);
            }
            case CRON -> {
                if (s.cron() == null) {
                    errors.add(new FieldError("schedule.cron", "is required for CRON"));
                } else {
                    ZoneId zone = zone(s.timeZone(), "schedule.timeZone", errors);
                    String problem = crons.problem(s.cron(), zone == null ? ZoneId.of("UTC") : zone);
                    if (problem != null) {
                        errors.add(new FieldError("schedule.cron", problem));
                    }
                }
                none(s.at() != null || s.entering() != null, "schedule", "CRON takes no at or entering", errors);
            }
            case ENTRY -> {
                if (s.entering() == null) {
                    errors.add(new FieldError("schedule.entering", "is required for ENTRY"));
                } else if (s.entering().tag() != null) {
                    errors.add(new FieldError("schedule.entering", "must be an audience or a dimension's bucket"));
                } else {
                    target(s.entering(), "schedule.entering", trees, fields, errors);
                }
                none(s.at() != null || s.cron() != null, "schedule", "ENTRY takes no at or cron", errors);
            }
        }
    }

    /** The goal's attribution window (P7D unless given). */
    static Duration window(CampaignInput.Conversion goal) {
        return goal.window() == null ? DEFAULT_CONVERSION_WINDOW : goal.window();
    }

    private static void conversion(CampaignInput.Conversion c, List<FieldError> errors) {
        if (c != null && c.window() != null && (c.window().isNegative() || c.window().isZero()
                || c.window().compareTo(MAX_WINDOW) > 0)) {
            errors.add(new FieldError("conversion.window", "must be over zero and at most P90D"));
        }
    }

    private static void caps(List<CampaignInput.Cap> caps, List<FieldError> errors) {
        for (int i = 0; caps != null && i < caps.size(); i++) {
            Duration w = caps.get(i).window();
            if (w.compareTo(MIN_CAP_WINDOW) < 0 || w.compareTo(MAX_WINDOW) > 0) {
                errors.add(new FieldError("caps[" + i + "].window", "must be from PT1H to P90D"));
            }
        }
    }

    private static ZoneId zone(String name, String field, List<FieldError> errors) {
        if (name == null) {
            return null;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "is not a time zone (an IANA name such as Asia/Shanghai)"));
            return null;
        }
    }

    private static void none(boolean present, String field, String message, List<FieldError> errors) {
        if (present) {
            errors.add(new FieldError(field, message));
        }
    }
}
