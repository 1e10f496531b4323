package io.headlesscrm.segment.condition;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.segment.condition.Condition.Kind;
import io.headlesscrm.segment.condition.Condition.Op;
import io.headlesscrm.segment.condition.Condition.Operand;

/**
 * Checks the operator and literal values of a condition against the type of what they compare, and collects every
 * problem found in a tree with the JSON Pointer of its node: a check that fails answers null and records why.
 */
final class ConditionValues {

    static final int MAX_VALUES = 1000;

    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return errors;
    }

    /** {@code {op, value}} of {@code node} as a comparison with {@code operand}; null (and errors) if they do not fit. */
    Condition.Attr comparison(JsonNode node, String at, Operand operand, List<String> enumValues) {
        Op op = op(node.path("op"), at + "/op");
        if (op == null) {
            return null;
        }
        JsonNode value = node.get("value");
        String vat = at + "/value";
        List<Object> values = new ArrayList<>();
        switch (op) {
            case EXISTS -> {
                if (value != null && !value.isBoolean()) {
                    return error(vat, "exists takes no value, or true / false");
                }
                values.add(value == null || value.asBoolean());
            }
            case IN -> {
                if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                    return error(vat, "in takes an array of 1 to " + MAX_VALUES + " values");
                }
                for (int i = 0; i < value.size(); i++) {
                    values.add(literal(value.get(i), vat + "/" + i, operand.kind(), enumValues));
                }
            }
            case BETWEEN -> {
                if (value == null || !value.isArray() || value.size() != 2) {
                    return error(vat, "between takes [low, high]");
                }
                values.add(literal(value.get(0), vat + "/0", operand.kind(), enumValues));
                values.add(literal(value.get(1), vat + "/1", operand.kind(), enumValues));
            }
            case WITHIN, BEFORE -> {
                if (operand.kind() != Kind.TIMESTAMP) {
                    return error(at + "/op", op.name().toLowerCase(Locale.ROOT) + " compares timestamps only");
                }
                values.add(duration(value, vat));
            }
            case CONTAINS -> {
                if (operand.kind() != Kind.STRING) {
                    return error(at + "/op", "contains compares strings only");
                }
                values.add(literal(value, vat, Kind.STRING, null));
            }
            default -> {
                if (operand.kind() == Kind.BOOLEAN && op != Op.EQ && op != Op.NE) {
                    return error(at + "/op", "a boolean is compared with eq or ne only");
                }
                values.add(literal(value, vat, operand.kind(), enumValues));
            }
        }
        return values.contains(null) ? null : new Condition.Attr(operand, op, values);
    }

    Op op(JsonNode node, String at) {
        try {
            return Op.valueOf(node.asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return error(at, "must be one of eq, ne, lt, lte, gt, gte, in, contains, exists, between, within, before");
        }
    }

    /** A value of {@code kind} (one of {@code enumValues}, if given). */
    Object literal(JsonNode value, String at, Kind kind, List<String> enumValues) {
        Function<String, Object> wrong = why -> error(at, why);
        if (value == null || value.isNull()) {
            return wrong.apply("a value is required");
        }
        return switch (kind) {
            case STRING -> !value.isTextual() || !Text.storable(value.textValue()) ? wrong.apply("must be a string")
                    : enumValues != null && !enumValues.contains(value.textValue())
                            ? wrong.apply("must be one of " + enumValues) : value.textValue();
            case NUMBER -> value.isNumber() ? (Object) value.decimalValue() : wrong.apply("must be a number");
            case BOOLEAN -> value.isBoolean() ? (Object) value.booleanValue() : wrong.apply("must be true or false");
            case TIMESTAMP -> instant(value, at);
        };
    }

    /** A positive ISO-8601 duration of at most 100 years. */
    Duration duration(JsonNode value, String at) {
        try {
            Duration d = Duration.parse(value == null ? "" : value.asText(""));
            return d.isNegative() || d.isZero() || d.toDays() > 36_500 ? error(at, "must be a positive duration") : d;
        } catch (DateTimeParseException e) {
            return error(at, "must be an ISO-8601 duration such as P30D or PT2H");
        }
    }

    /** Records a problem at {@code at}; null, for the check to answer. */
    <T> T error(String at, String message) {
        errors.add(new FieldError("condition", message, at.isEmpty() ? "" : at));
        return null;
    }

    private Object instant(JsonNode value, String at) {
        try {
            Instant i = Instant.parse(value.asText(""));
            return i.isBefore(KeyType.EARLIEST) || i.isAfter(KeyType.LATEST) ? error(at, "must lie in the years 1 to 9999") : i;
        } catch (DateTimeParseException e) {
            return error(at, "must be an ISO-8601 instant such as 2026-11-24T00:00:00Z");
        }
    }
}
