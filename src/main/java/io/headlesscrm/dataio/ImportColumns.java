package io.headlesscrm.dataio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.customer.CustomerInput;
import io.headlesscrm.touchpoint.Channel;

/** An import's column mapping, checked: each column's target, and what is wrong with the mapping. */
record ImportColumns(Map<String, Target> targets) {

    enum Kind {
        FIELD, ATTRIBUTE, TAGS, CONSENT
    }

    /** Where a column's cells go: a customer field, an attribute, the tags, or the consent on a channel. */
    record Target(Kind kind, String name) {
    }

    static final Set<String> FIELDS = Set.of("externalId", "type", "name", "email", "phone", "registeredAt",
            "lastActiveAt");
    private static final Pattern ATTRIBUTE = Pattern.compile(CustomerInput.ATTRIBUTE_NAME);

    /** The mapping's problems, each named {@code columns.<column>} (or {@code matchKey}); empty when it is sound. */
    static List<FieldError> check(Map<String, String> columns, CustomerBatch.MatchKey key) {
        List<FieldError> errors = new ArrayList<>();
        Map<Target, String> seen = new LinkedHashMap<>();
        columns.forEach((column, to) -> {
            Target target = target(to);
            if (target == null) {
                errors.add(new FieldError("columns." + column, "unknown target '" + to + "': one of " + FIELDS
                        + ", attributes.<name>, tags, consent.<CHANNEL>"));
            } else if (seen.putIfAbsent(target, column) != null) {
                errors.add(new FieldError("columns." + column, "maps to " + to + " as column '" + seen.get(target)
                        + "' does"));
            }
        });
        if (key != null && !seen.containsKey(new Target(Kind.FIELD, key.field))) {
            errors.add(new FieldError("matchKey", "no column maps to " + key.field));
        }
        return errors;
    }

    /** A mapping {@link #check} found sound. */
    static ImportColumns of(Map<String, String> columns) {
        Map<String, Target> targets = new LinkedHashMap<>();
        columns.forEach((column, to) -> targets.put(column, target(to)));
        return new ImportColumns(targets);
    }

    private static Target target(String to) {
        if (to == null) {
            return null;
        }
        if (FIELDS.contains(to)) {
            return new Target(Kind.FIELD, to);
        }
        if (to.equals("tags")) {
            return new Target(Kind.TAGS, null);
        }
        if (to.startsWith("attributes.") && ATTRIBUTE.matcher(to.substring(11)).matches()) {
            return new Target(Kind.ATTRIBUTE, to.substring(11));
        }
        if (to.startsWith("consent.")) {
            try {
                return new Target(Kind.CONSENT, Channel.valueOf(to.substring(8)).name());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
