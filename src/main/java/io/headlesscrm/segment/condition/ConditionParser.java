package io.headlesscrm.segment.condition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.property.PropertyScope;
import io.headlesscrm.property.PropertyView;
import io.headlesscrm.segment.condition.Condition.Kind;
import io.headlesscrm.segment.condition.Condition.Op;
import io.headlesscrm.segment.condition.Condition.Operand;

/**
 * Reads a condition tree: its shape (and, or, not, attr, tags, event, segment nodes, their depth and number), what
 * each node names ({@link ConditionOperands}) and the values it compares with ({@link ConditionValues}); every
 * problem is reported with the JSON Pointer of its node. Pure: the declared properties and segments are given, and
 * tag keys are checked by the caller ({@link #tagKeys}).
 */
final class ConditionParser {

    static final int MAX_DEPTH = 10;
    static final int MAX_NODES = 200;
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "distinct");

    private final ConditionOperands operands;
    private final ConditionValues values = new ConditionValues();
    private final Map<String, SegmentRef> segments;
    private final Map<UUID, String> references = new LinkedHashMap<>(); // segment id -> pointer
    private final Map<String, String> tagKeys = new LinkedHashMap<>(); // key -> pointer of first use
    private int nodes;

    ConditionParser(List<PropertyView> declared, Map<String, SegmentRef> segments) {
        this.operands = new ConditionOperands(declared);
        this.segments = segments;
    }

    /** The saved segments the tree reads, each with the pointer of its first use (for cycles). */
    Map<UUID, String> references() {
        return references;
    }

    List<FieldError> errors() {
        return values.errors();
    }

    /** The tag keys the tree names, each with the pointer of its first use (for "no such tag"). */
    Map<String, String> tagKeys() {
        return tagKeys;
    }

    /** The condition, or null when {@link #errors()} says why not. */
    Condition parse(JsonNode node) {
        Condition c = node(node, "", 1);
        return errors().isEmpty() ? c : null;
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
        Operand operand = name == null ? null : operands.customer(name);
        if (operand == null) {
            return error(at + "/attr", name == null ? "must name a customer field or attribute"
                    : "'" + name + "' is neither a customer field nor a declared attribute");
        }
        return values.comparison(node, at, operand, operands.enumValues(name, PropertyScope.CUSTOMER, null));
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
        if (!keys.isArray() || keys.isEmpty() || keys.size() > ConditionValues.MAX_VALUES) {
            return error(kat, "must be an array of 1 to " + ConditionValues.MAX_VALUES + " tag keys");
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
                    Operand field = operands.item(prop);
                    if (field == null) {
                        error(wat + "/prop", "an item condition names one of " + ConditionOperands.itemFields());
                        continue;
                    }
                    items.add(values.comparison(w.get(i), wat, field, null));
                    continue;
                }
                Operand operand = prop == null ? null : operands.event(prop, type);
                if (operand == null) {
                    error(wat + "/prop", prop == null ? "must name an event property"
                            : "'" + prop + "' is not a declared property of " + type + " events");
                    continue;
                }
                where.add(values.comparison(w.get(i), wat, operand, operands.enumValues(prop, PropertyScope.EVENT, type)));
            }
        }
        String agg = body.path("agg").asText("count");
        if (!AGGREGATES.contains(agg)) {
            return error(at + "/agg", "must be one of " + AGGREGATES);
        }
        Operand of = null;
        if (!agg.equals("count")) {
            String prop = body.path("prop").asText(null);
            of = prop == null ? null : operands.event(prop, type);
            if (of == null || (!agg.equals("distinct") && of.kind() != Kind.NUMBER)) {
                return error(at + "/prop", agg + " needs " + (agg.equals("distinct") ? "a" : "a NUMBER")
                        + " declared property of " + type + " events");
            }
        }
        Duration within = body.has("within") ? values.duration(body.get("within"), at + "/within") : null;
        Instant from = body.has("from") ? (Instant) values.literal(body.get("from"), at + "/from", Kind.TIMESTAMP, null) : null;
        Instant to = body.has("to") ? (Instant) values.literal(body.get("to"), at + "/to", Kind.TIMESTAMP, null) : null;
        if ((within == null) == (from == null || to == null) || (within != null && (from != null || to != null))) {
            return error(at, "give the window as within (an ISO duration such as P30D) or as from and to");
        }
        Op op = values.op(body.path("op"), at + "/op");
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

    private <T> T error(String at, String message) {
        return values.error(at, message);
    }
}
