package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The rule versions the matcher works with. A version never changes once written, so each is read once per
 * instance and kept; which version is current (and whether the rule is active) is read again on every use.
 */
@ApplicationScoped
class LeadRuleVersions {

    // pull rules make their leads on their schedule (LeadPulls), not from events
    private static final String ACTIVE = "SELECT id, version FROM lead_rule WHERE status = 'ACTIVE'"
            + " AND definition -> 'pull' IS NULL";
    private static final String LOAD = "SELECT v.rule_id, v.version, r.key, v.definition::text, v.compiled::text"
            + " FROM lead_rule_version v JOIN lead_rule r ON r.id = v.rule_id"
            + " WHERE (v.rule_id, v.version) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))";

    private final Map<String, LeadRuleVersion> known = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper mapper;

    /** Each active rule's current version, by rule id, with the versions {@code also} names read as well. */
    Uni<Map<UUID, LeadRuleVersion>> active(SqlConnection conn, List<Map.Entry<UUID, Long>> also) {
        return conn.query(ACTIVE).execute().flatMap(rows -> {
            List<Map.Entry<UUID, Long>> wanted = new ArrayList<>(also);
            rows.forEach(r -> wanted.add(Map.entry(r.getUUID(0), r.getLong(1))));
            return load(conn, wanted).map(v -> {
                Map<UUID, LeadRuleVersion> active = new HashMap<>();
                rows.forEach(r -> {
                    LeadRuleVersion version = get(r.getUUID(0), r.getLong(1));
                    if (version != null) {
                        active.put(version.ruleId(), version);
                    }
                });
                return active;
            });
        });
    }

    /** A version read before; null if it was not (or its rule has been deleted since). */
    LeadRuleVersion get(UUID ruleId, long version) {
        return known.get(LeadMatcher.key(ruleId, version));
    }

    private Uni<Void> load(SqlConnection conn, List<Map.Entry<UUID, Long>> wanted) {
        List<Map.Entry<UUID, Long>> missing = wanted.stream()
                .filter(w -> !known.containsKey(LeadMatcher.key(w.getKey(), w.getValue()))).distinct().toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(LOAD).execute(Tuple.of(missing.stream().map(Map.Entry::getKey).toArray(UUID[]::new),
                missing.stream().map(Map.Entry::getValue).toArray(Long[]::new))).invoke(rows -> {
                    for (Row r : rows) {
                        LeadRuleVersion v = version(r);
                        known.put(LeadMatcher.key(v.ruleId(), v.version()), v);
                    }
                }).replaceWithVoid();
    }

    private LeadRuleVersion version(Row r) {
        try {
            return new LeadRuleVersion(r.getUUID(0), r.getLong(1), r.getString(2),
                    mapper.readValue(r.getString(3), LeadRuleInput.class),
                    mapper.readValue(r.getString(4), LeadRuleVersion.Compiled.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Lead rule " + r.getUUID(0) + " has an unreadable version", e);
        }
    }
}
