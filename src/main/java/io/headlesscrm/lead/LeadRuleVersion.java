package io.headlesscrm.lead;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * One version of a rule, as the matcher works with it: never changed once written, so any instance may keep it. A
 * change of the rule makes a new version; pending matches go on under theirs.
 */
record LeadRuleVersion(UUID ruleId, long version, String key, LeadRuleInput definition, Compiled compiled) {

    /**
     * The rule's SQL: a predicate over event {@code e} per step and per conversion (each includes the event type),
     * and the customer condition over customer {@code c} with a scope marker ({@code ConditionCompiler.rescope}), or
     * null for none.
     */
    record Compiled(List<String> steps, List<String> conversions, String customer) {
    }

    List<LeadRuleInput.Step> steps() {
        return definition.steps();
    }

    boolean sequence() {
        return steps().size() > 1;
    }

    Duration cooldown() {
        return definition.cooldown() == null ? Duration.ZERO : definition.cooldown();
    }
}
