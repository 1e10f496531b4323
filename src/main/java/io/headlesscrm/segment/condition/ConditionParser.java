package io.headlesscrm.segment.condition;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.property.PropertyScope;
import io.headlesscrm.property.PropertyType;
import io.headlesscrm.property.PropertyView;
import io.headlesscrm.segment.condition.Condition.Kind;
import io.headlesscrm.segment.condition.Condition.Op;
import io.headlesscrm.segment.condition.Condition.Operand;

/**
 * Reads a condition tree, checking every node against what it may name (customer fields, declared attributes and
 * event properties, their types); every problem is reported with the JSON Pointer of its node. Pure: the declared
 * properties are given, and tag keys are checked by the caller ({@link #tagKeys}).
 */
final class ConditionParser {

    static final int MAX_DEPTH = 10;
    static final int MAX_NODES = 200;
    static final int MAX_VALUES = 1000;
    private static final Map<String, Operand> FIELDS = Map.of("type", new Operand("c.type", Kind.STRING),
            "name", new Operand("c.name", Kind.STRING), "email", new Operand("c.email", Kind.STRING),
            "phone", new Operand("c.phone", Kind.STRING), "externalId", new Operand("c.external_id", Kind.STRING),
            "registeredAt", new Operand("c.registered_at", Kind.TIMESTAMP),
            "lastActiveAt", new Operand("c.last_active_at", Kind.TIMESTAMP),
            "createdAt", new Operand("c.created_at", Kind.TIMESTAMP));
    // an event's items (EventInput.Item), as where conditions on "item.<field>" read them: all such conditions of
    // one event condition hold for the same item
    private static final Map<String, Operand> ITEM_FIELDS = Map.of("item.sku", itemText("sku"), "item.name",
            itemText("name"), "item.category", itemText("category"), "item.price", itemNumber("price"), "item.quantity",
            itemNumber("quantity"));
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "distinct");

    private final List<PropertyView> declared;
    private final Map<String, SegmentRef> segments;
    private final Map<UUID, String> references = new java.util.LinkedHashMap<>(); // segment id -> pointer
    private final List<FieldError> errors = new ArrayList<>();
    private final Map<String, String> tagKeys = new java.util.LinkedHashMap<>(); // key -> pointer of first use
    private int nodes;

    ConditionParser(List<PropertyView> declared, Map<String, SegmentRef> segments) {
        this.declared = declared;
        this.segments = segments;
    }

    /** The saved segments the tree reads, each with the pointer of its first use (for cycles). */
    Map<UUID, String> references() {
        return references;
    }

    List<FieldError> errors() {
        return errors;
    }

    /** The tag keys the tree names, each with the pointer of its first use (for "no such tag"). */
    Map<String, String> tagKeys() {
        return tagKeys;
    }

    /** The condition, or null when {@link #errors()} says why not. */
    Condition parse(JsonNode node) {
        Condition c = node(node, "", 1);
        return errors.isEmpty() ? c : null;
    }

    private Condition node(JsonNode node, String at, int depth) {
        if (++nodes > MAX_NODES) {
            return error(at, "the condition has more than " + MAX_NODES + " nodes");
        }
        if (depth > MAX_DEPTH) {
            return error(at, "the condition is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node != null && node.isObject() && node.has("attr")) {
            return attrNode(node, at);
        }
        if (node != null && node.isObject() && node.has("segment")) {
            return member(node, at);
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            return error(at, "must be an object with exactly one of and, or, not, attr, tags, event, segment");
        }
        String kind = node.fieldNames().next();
        JsonNode body = node.get(kind);
        String here = at + "/" + kind;
        return switch (kind) {
            case "and", "or" -> list(body, here, depth, kind);
            case "not" -> {
                Condition inner = node(body, here, depth + 1);
                yield inner == null ? null : new Condition.Not(inner);
            }
            case "tags" -> tags(body, here);
            case "event" -> event(body, here);
            default -> error(here, "unknown condition '" + kind + "'; one of and, or, not, attr, tags, event, segment");
        };
    }

    private Condition list(JsonNode body, String at, int depth, String kind) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            return error(at, "must be a non-empty array of conditions");
        }
        List<Condition> parts = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            parts.add(node(body.get(i), at + "/" + i, depth + 1));
        }
        return kind.equals("and") ? new Condition.And(parts) : new Condition.Or(parts);
    }

    /** {"attr": name, "op": …, "value": …}: a comparison is the one node with several fields. */
    private Condition attrNode(JsonNode node, String at) {
        for (var it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!Set.of("attr", "op", "value").contains(field)) {
                return error(at + "/" + field, "an attr condition has attr, op and value only");
            }
        }
        String name = node.path("attr").asText(null);
        Operand operand = name == null ? null : FIELDS.containsKey(name) ? FIELDS.get(name)
                : declaredOperand(name, PropertyScope.CUSTOMER, null, "c.attributes");
        if (operand == null) {
            return error(at + "/attr", name == null ? "must name a customer field or attribute"
                    : "'" + name + "' is neither a customer field nor a declared attribute");
        }
        return comparison(node, at, operand, enumValues(name, PropertyScope.CUSTOMER, null));
    }

    private Condition.Attr comparison(JsonNode node, String at, Operand operand, List<String> enumValues) {
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

    /** {"segment": key} for an audience, {"segment": key, "bucket": key} for a bucket of a dimension. */
    private Condition member(JsonNode node, String at) {
        String key = node.path("segment").asText(null);
        SegmentRef ref = key == null ? null : segments.get(key);
        if (ref == null) {
            return error(at + "/segment", key == null ? "must be a segment key" : "no segment has the key '" + key + "'");
        }
        JsonNode bucket = node.get("bucket");
        if (node.size() != (bucket == null ? 1 : 2)) {
            return error(at, "a segment condition has segment and, for a dimension, bucket");
        }
        UUID bucketId;
        if (ref.dimension()) {
            bucketId = bucket == null || !bucket.isTextual() ? null : ref.buckets().get(bucket.textValue());
            if (bucketId == null) {
                return error(at + "/bucket", "must be one of the buckets of " + key + ": " + ref.buckets().keySet());
            }
        } else {
            if (bucket != null) {
                return error(at + "/bucket", key + " is an audience: it has no buckets");
            }
            bucketId = ref.buckets().values().iterator().next();
        }
        references.putIfAbsent(ref.id(), at + "/segment");
        return new Condition.Member(ref.id(), bucketId);
    }

    private Condition tags(JsonNode body, String at) {
        if (body == null || !body.isObject() || body.size() != 1) {
            return error(at, "must be one of {all: [...]}, {any: [...]}, {none: [...]}");
        }
        String mode = body.fieldNames().next();
        JsonNode keys = body.get(mode);
        String kat = at + "/" + mode;
        if (!Set.of("all", "any", "none").contains(mode)) {
            return error(at, "must be one of {all: [...]}, {any: [...]}, {none: [...]}");
        }
        if (!keys.isArray() || keys.isEmpty() || keys.size() > MAX_VALUES) {
            return error(kat, "must be an array of 1 to " + MAX_VALUES + " tag keys");
        }
        Set<String> list = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode k = keys.get(i);
            if (!k.isTextual() || !Text.storable(k.textValue())) {
                return error(kat + "/" + i, "must be a tag key");
            }
            list.add(k.textValue());
            tagKeys.putIfAbsent(k.textValue(), kat + "/" + i);
        }
        return new Condition.Tags(mode, List.copyOf(list));
    }

    private Condition event(JsonNode body, String at) {
        if (body == null || !body.isObject()) {
            return error(at, "must be an object {type, where?, agg, prop?, within | from and to, op, value}");
        }
        String type = body.path("type").asText(null);
        if (type == null || type.isBlank() || !Text.storable(type)) {
            return error(at + "/type", "must be an event type");
        }
        List<Condition.Attr> where = new ArrayList<>();
        List<Condition.Attr> items = new ArrayList<>();
        JsonNode w = body.path("where");
        if (!w.isMissingNode()) {
            if (!w.isArray() || w.size() > 20) {
                return error(at + "/where", "must be an array of at most 20 property conditions");
            }
            for (int i = 0; i < w.size(); i++) {
                String wat = at + "/where/" + i;
                nodes++;
                String prop = w.get(i).path("prop").asText(null);
                if (prop != null && prop.startsWith("item.")) {
                    Operand field = ITEM_FIELDS.get(prop);
                    if (field == null) {
                        error(wat + "/prop", "an item condition names one of " + new java.util.TreeSet<>(ITEM_FIELDS.keySet()));
                        continue;
                    }
                    items.add(comparison(w.get(i), wat, field, null));
                    continue;
                }
                Operand operand = prop == null ? null : declaredOperand(prop, PropertyScope.EVENT, type, "e.properties");
                if (operand == null) {
                    error(wat + "/prop", prop == null ? "must name an event property"
                            : "'" + prop + "' is not a declared property of " + type + " events");
                    continue;
                }
                where.add(comparison(w.get(i), wat, operand, enumValues(prop, PropertyScope.EVENT, type)));
            }
        }
        String agg = body.path("agg").asText("count");
        if (!AGGREGATES.contains(agg)) {
            return error(at + "/agg", "must be one of " + AGGREGATES);
        }
        Operand of = null;
        if (!agg.equals("count")) {
            String prop = body.path("prop").asText(null);
            of = prop == null ? null : declaredOperand(prop, PropertyScope.EVENT, type, "e.properties");
            if (of == null || (!agg.equals("distinct") && of.kind() != Kind.NUMBER)) {
                return error(at + "/prop", agg + " needs " + (agg.equals("distinct") ? "a" : "a NUMBER")
                        + " declared property of " + type + " events");
            }
        }
        Duration within = body.has("within") ? duration(body.get("within"), at + "/within") : null;
        Instant from = body.has("from") ? (Instant) literal(body.get("from"), at + "/from", Kind.TIMESTAMP, null) : null;
        Instant to = body.has("to") ? (Instant) literal(body.get("to"), at + "/to", Kind.TIMESTAMP, null) : null;
        if ((within == null) == (from == null || to == null) || (within != null && (from != null || to != null))) {
            return error(at, "give the window as within (an ISO duration such as P30D) or as from and to");
        }
        Op op = op(body.path("op"), at + "/op");
        if (op != null && !Set.of(Op.EQ, Op.NE, Op.LT, Op.LTE, Op.GT, Op.GTE).contains(op)) {
            return error(at + "/op", "an aggregate is compared with eq, ne, lt, lte, gt or gte");
        }
        JsonNode value = body.get("value");
        if (value == null || !value.isNumber()) {
            return error(at + "/value", "must be a number");
        }
        return op == null || where.contains(null) || items.contains(null) ? null
                : new Condition.Event(type, where, items, agg, of, within, from, to, op, value.decimalValue());
    }

    private static Operand itemText(String field) {
        return new Operand("(it.v->>" + SqlLiteral.text(field) + ")", Kind.STRING);
    }

    private static Operand itemNumber(String field) {
        return new Operand("(CASE WHEN jsonb_typeof(it.v->" + SqlLiteral.text(field) + ") = 'number' THEN (it.v->>"
                + SqlLiteral.text(field) + ")::numeric END)", Kind.NUMBER);
    }

    private Operand declaredOperand(String name, PropertyScope scope, String eventType, String column) {
        PropertyView p = declaration(name, scope, eventType);
        if (p == null) {
            return null;
        }
        String raw = "(" + column + "->>" + SqlLiteral.text(name) + ")";
        String json = "jsonb_typeof(" + column + "->" + SqlLiteral.text(name) + ")";
        // values stored before a declaration may have another type: they compare as absent, never fail the query
        return switch (p.type()) {
            case STRING, ENUM -> new Operand(raw, Kind.STRING);
            case NUMBER -> new Operand("(CASE WHEN " + json + " = 'number' THEN " + raw + "::numeric END)", Kind.NUMBER);
            case BOOLEAN -> new Operand("(CASE WHEN " + json + " = 'boolean' THEN " + raw + "::boolean END)", Kind.BOOLEAN);
            case TIMESTAMP -> new Operand("(CASE WHEN " + raw + " ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$'"
                    + " THEN " + raw + "::timestamptz END)", Kind.TIMESTAMP);
        };
    }

    private List<String> enumValues(String name, PropertyScope scope, String eventType) {
        PropertyView p = declaration(name, scope, eventType);
        return p != null && p.type() == PropertyType.ENUM ? p.values() : null;
    }

    private PropertyView declaration(String name, PropertyScope scope, String eventType) {
        PropertyView any = null;
        for (PropertyView p : declared) {
            if (p.scope() == scope && p.name().equals(name)) {
                if (eventType != null && eventType.equals(p.eventType())) {
                    return p;
                }
                if (p.eventType() == null) {
                    any = p;
                }
            }
        }
        return any;
    }

    private Op op(JsonNode node, String at) {
        try {
            return Op.valueOf(node.asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return error(at, "must be one of eq, ne, lt, lte, gt, gte, in, contains, exists, between, within, before");
        }
    }

    private Object literal(JsonNode value, String at, Kind kind, List<String> enumValues) {
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

    private Object instant(JsonNode value, String at) {
        try {
            Instant i = Instant.parse(value.asText(""));
            return i.isBefore(KeyType.EARLIEST) || i.isAfter(KeyType.LATEST) ? error(at, "must lie in the years 1 to 9999") : i;
        } catch (DateTimeParseException e) {
            return error(at, "must be an ISO-8601 instant such as 2026-11-24T00:00:00Z");
        }
    }

    private Duration duration(JsonNode value, String at) {
        try {
            Duration d = Duration.parse(value == null ? "" : value.asText(""));
            return d.isNegative() || d.isZero() || d.toDays() > 36_500 ? error(at, "must be a positive duration") : d;
        } catch (DateTimeParseException e) {
            return error(at, "must be an ISO-8601 duration such as P30D or PT2H");
        }
    }

    private <T> T error(String at, String message) {
        errors.add(new FieldError("condition", message, at.isEmpty() ? "" : at));
        return null;
    }
}
