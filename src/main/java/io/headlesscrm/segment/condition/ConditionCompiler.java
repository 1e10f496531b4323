package io.headlesscrm.segment.condition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.tag.TagConditions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The condition language's entry point: a submitted tree is checked against the declared properties, the defined
 * tags and the saved segments, and compiled to SQL predicates over {@code customer c}. A bad tree is a 422 whose
 * errors carry the JSON Pointer of each offending node.
 */
@ApplicationScoped
public class ConditionCompiler {

    private static final String SEGMENTS = "SELECT s.id, s.key, s.kind, b.id, b.key FROM segment s"
            + " JOIN segment_bucket b ON b.segment_id = s.id ORDER BY b.position";

    @Inject
    PropertyCatalog properties;
    @Inject
    TagConditions tags;
    @Inject
    Pool pool;

    /**
     * A compiled tree: {@code sql} over every customer, {@code scoped} with a marker where each subquery can be
     * restricted to the customers evaluated ({@link #rescope}; what segment upkeep runs), the saved segments it reads (id to the pointer of the first use), and whether it moves
     * with time.
     */
    public record Compiled(String sql, String scoped, Map<UUID, String> references, boolean timeRelative) {
    }

    /**
     * A {@link Compiled#scoped} predicate restricted to some customers: {@code restriction} is SQL over a
     * customer-id column written as {@code %s}, for example {@code "%s = ANY(?1)"}.
     */
    public static String rescope(String scoped, String restriction) {
        return ConditionSql.rescope(scoped, restriction);
    }

    public Uni<Compiled> compile(JsonNode tree) {
        return compileAll(java.util.Collections.singletonList(tree), List.of("condition")).map(all -> all.get(0));
    }

    /**
     * Several trees (a dimension's buckets) against one reading of the declarations, segments and tags; a null tree
     * compiles to null. Every tree's errors are reported together, each named by its entry of {@code fields}.
     */
    public Uni<List<Compiled>> compileAll(List<JsonNode> trees, List<String> fields) {
        return properties.all().flatMap(declared -> segments().flatMap(segments -> {
            List<Compiled> compiled = new ArrayList<>();
            List<FieldError> errors = new ArrayList<>();
            Map<String, FieldError> tagUses = new java.util.LinkedHashMap<>(); // key -> its first use
            for (int i = 0; i < trees.size(); i++) {
                if (trees.get(i) == null) {
                    compiled.add(null);
                    continue;
                }
                ConditionParser parser = new ConditionParser(declared.all(), segments);
                Condition condition = parser.parse(trees.get(i));
                String field = fields.get(i);
                parser.errors().forEach(e -> errors.add(new FieldError(field, e.message(), e.pointer())));
                parser.tagKeys().forEach((key, pointer) -> tagUses.putIfAbsent(key,
                        new FieldError(field, "no tag has the key '" + key + "'", pointer)));
                compiled.add(condition == null ? null : new Compiled(ConditionSql.of(condition),
                        ConditionSql.scoped(condition), parser.references(), ConditionSql.movesWithTime(condition)));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            if (tagUses.isEmpty()) {
                return Uni.createFrom().item(compiled);
            }
            return tags.existing(tagUses.keySet()).map(found -> {
                List<FieldError> unknown = tagUses.entrySet().stream().filter(e -> !found.contains(e.getKey()))
                        .map(Map.Entry::getValue).toList();
                if (!unknown.isEmpty()) {
                    throw ProblemException.validation(unknown);
                }
                return compiled;
            });
        }));
    }

    /**
     * Event property filters ({@code where} of an event condition, null for none) for events of {@code type}, checked
     * as an event condition's are, as one SQL predicate over {@code event e}; errors are named {@code field}, their
     * pointers relative to {@code where}.
     */
    public Uni<String> eventFilter(String type, JsonNode where, String field) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        com.fasterxml.jackson.databind.node.ObjectNode event = tree.putObject("event").put("type", type)
                .put("within", "P1D").put("op", "gte").put("value", 1);
        if (where != null) {
            event.set("where", where);
        }
        return properties.all().map(declared -> {
            ConditionParser parser = new ConditionParser(declared.all(), Map.of());
            Condition condition = parser.parse(tree);
            if (!parser.errors().isEmpty()) {
                String prefix = "/event/where";
                throw ProblemException.validation(parser.errors().stream().map(e -> new FieldError(field, e.message(),
                        e.pointer() != null && e.pointer().startsWith(prefix) ? e.pointer().substring(prefix.length())
                                : e.pointer())).toList());
            }
            return ConditionSql.eventWhere((Condition.Event) condition);
        });
    }

    private Uni<Map<String, SegmentRef>> segments() {
        return pool.query(SEGMENTS).execute().map(rows -> {
            Map<String, UUID> ids = new HashMap<>();
            Map<String, Boolean> dimension = new HashMap<>();
            Map<String, Map<String, UUID>> buckets = new LinkedHashMap<>();
            rows.forEach(r -> {
                String key = r.getString(1);
                ids.put(key, r.getUUID(0));
                dimension.put(key, "DIMENSION".equals(r.getString(2)));
                buckets.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.getString(4), r.getUUID(3));
            });
            Map<String, SegmentRef> refs = new HashMap<>();
            buckets.forEach((key, b) -> refs.put(key, new SegmentRef(ids.get(key), dimension.get(key), b)));
            return refs;
        });
    }
}
