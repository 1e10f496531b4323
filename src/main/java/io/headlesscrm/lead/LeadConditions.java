package io.headlesscrm.lead;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
        Map<String, String> conditions = new java.util.LinkedHashMap<>();
        versions.stream().filter(v -> v.compiled().customer() != null)
                .forEach(v -> conditions.put(LeadMatcher.key(v.ruleId(), v.version()), v.compiled().customer()));
        assigning.stream().filter(a -> a.customer() != null)
                .forEach(a -> conditions.put(LeadAssignment.key(a), a.customer()));
        return conditions;
    }

    /** Which customers meet which of the conditions (by their keys). */
    static Uni<Map<UUID, Set<String>>> passes(SqlConnection conn, UUID[] ids, Map<String, String> conditions) {
        if (conditions.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> keys = List.copyOf(conditions.keySet());
        List<String> columns = keys.stream().map(k -> "CASE WHEN " + ConditionCompiler.rescope(conditions.get(k),
                "%s = ANY($1)") + " THEN '1' ELSE '0' END").toList();
        return conn.preparedQuery("SELECT c.id, " + String.join(" || ", columns) + " FROM customer c WHERE c.id = ANY($1)")
                .execute(Tuple.of((Object) ids)).map(rows -> {
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
