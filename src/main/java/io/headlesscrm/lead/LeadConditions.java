package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The customer conditions of lead rules and assignment rules, decided for a set of customers in one statement: which
 * conditions (by key) each customer meets.
 */
final class LeadConditions {

    private LeadConditions() {
    }

    /** The conditions of these rule versions (by version key) and assignment rules (by {@link LeadAssignment#key}). */
    static Map<String, String> of(List<LeadRuleVersion> versions,
            List<AssignmentRuleRepository.Compiled> assigning) {
        Map<String, String> conditions = new LinkedHashMap<>();
        versions.stream().filter(v -> v.compiled().customer() != null)
                .forEach(v -> conditions.put(LeadMatcher.key(v.ruleId(), v.version()), v.compiled().customer()));
        assigning.stream().filter(a -> a.customer() != null)
                .forEach(a -> conditions.put(LeadAssignment.key(a), a.customer()));
        return conditions;
    }

    /** Which of these customers meet which of the conditions (by their keys), each decided for every customer. */
    static Uni<Map<UUID, Set<String>>> passes(SqlConnection conn, UUID[] ids, Map<String, String> conditions) {
        Map<String, Set<UUID>> asked = new LinkedHashMap<>();
        conditions.keySet().forEach(k -> asked.put(k, Set.of(ids)));
        return passes(conn, asked, conditions);
    }

    /**
     * Which customers meet which conditions, deciding each condition (by key) only for the customers {@code asked}
     * names for it: a customer not asked about a condition is reported as not meeting it.
     */
    static Uni<Map<UUID, Set<String>>> passes(SqlConnection conn, Map<String, Set<UUID>> asked,
            Map<String, String> conditions) {
        List<String> keys = asked.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .toList();
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Set<UUID> all = new LinkedHashSet<>();
        List<Object> params = new ArrayList<>();
        params.add(null);
        List<String> columns = new ArrayList<>();
        for (String k : keys) {
            all.addAll(asked.get(k));
            params.add(asked.get(k).toArray(UUID[]::new));
            String these = "$" + params.size() + "::uuid[]";
            // IN (SELECT unnest) is hashed once; an = ANY per customer row would scan the array for each
            columns.add("CASE WHEN c.id IN (SELECT unnest(" + these + ")) AND " + ConditionCompiler.rescope(
                    conditions.get(k), "%s = ANY(" + these + ")") + " THEN '1' ELSE '0' END");
        }
        params.set(0, all.toArray(UUID[]::new));
        return conn.preparedQuery("SELECT c.id, " + String.join(" || ", columns) + " FROM " + CustomerSql.AS_C + " WHERE c.id = ANY($1)")
                .execute(Tuple.from(params)).map(rows -> {
                    Map<UUID, Set<String>> passes = new HashMap<>();
                    for (Row r : rows) {
                        String meets = r.getString(1);
                        Set<String> met = new HashSet<>();
                        for (int i = 0; i < keys.size(); i++) {
                            if (meets.charAt(i) == '1') {
                                met.add(keys.get(i));
                            }
                        }
                        passes.put(r.getUUID(0), met);
                    }
                    return passes;
                });
    }
}
