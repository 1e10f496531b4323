package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Lead rules in SQL: read through the pool, written (with a version row per change) through the caller's session. */
@ApplicationScoped
class LeadRuleRepository {

    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    private static final String COLUMNS = "SELECT id, definition::text, created_at, updated_at, version FROM lead_rule";
    private static final String VERSION = "INSERT INTO lead_rule_version (rule_id, version, definition, compiled,"
            + " event_types) SELECT id, version, definition, CAST(CAST(?2 AS text) AS jsonb), CAST(?3 AS varchar[])"
            + " FROM lead_rule WHERE id = ?1";
    // a changed schedule starts again from its next fire; an unchanged one keeps the fire under way
    private static final String PULL = "INSERT INTO lead_pull (rule_id, next_at) VALUES (?1, ?2) ON CONFLICT (rule_id)"
            + " DO UPDATE SET next_at = EXCLUDED.next_at, after_customer = NULL, made = 0 WHERE (SELECT v.definition -> 'pull'"
            + " FROM lead_rule_version v WHERE v.rule_id = ?1 ORDER BY v.version DESC OFFSET 1 LIMIT 1)"
            + " IS DISTINCT FROM (SELECT definition -> 'pull' FROM lead_rule WHERE id = ?1)";

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<LeadRuleView> find(UUID id) {
        return pool.preparedQuery(COLUMNS + " WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** The rule read in the caller's session, locked against concurrent changes; null if none. */
    Uni<LeadRuleView> lock(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(COLUMNS + " WHERE id = ?1 FOR UPDATE",
                Object[].class).setParameter(1, id).getResultList())
                .map(rows -> rows.isEmpty() ? null : view((UUID) rows.get(0)[0], (String) rows.get(0)[1],
                        rows.get(0)[2], rows.get(0)[3], ((Number) rows.get(0)[4]).longValue()));
    }

    Uni<Page.Slice<LeadRuleView>> list(Boolean active, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS)
                .whereIf(active == null ? null : active ? "ACTIVE" : "PAUSED", "status = ?").page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).map(rows -> {
            List<LeadRuleView> views = new ArrayList<>();
            rows.forEach(r -> views.add(view(r)));
            return Page.slice(views, limit, v -> KEYSET.cursor(null, v.id()));
        });
    }

    /** Which of these keys name a lead rule. */
    Uni<Set<String>> existingKeys(List<String> keys) {
        return pool.preparedQuery("SELECT key FROM lead_rule WHERE key = ANY($1)")
                .execute(Tuple.of(keys.toArray(String[]::new))).map(rows -> {
                    Set<String> known = new HashSet<>();
                    rows.forEach(r -> known.add(r.getString(0)));
                    return known;
                });
    }

    /** What the rule has under way and has made; null when there is no such rule. */
    Uni<LeadRuleStats> stats(UUID id) {
        return pool.preparedQuery("SELECT (SELECT count(*) FROM lead_match WHERE rule_id = r.id),"
                + " (SELECT min(due_at) FROM lead_match WHERE rule_id = r.id), (SELECT count(*) FROM lead WHERE rule_id = r.id),"
                + " (SELECT count(*) FROM lead WHERE rule_id = r.id AND status = ANY($2)) FROM lead_rule r WHERE r.id = $1")
                .execute(Tuple.of(id, LeadStatus.OPEN.stream().map(Enum::name).toArray(String[]::new))).map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new LeadRuleStats(r.getLong(0), Rows.instant(r, 1), r.getLong(2), r.getLong(3));
                });
    }

    Uni<Void> insert(UUID id, LeadRuleDefinitions.Plan plan) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO lead_rule (id, key, status, definition,"
                + " created_at, updated_at) VALUES (?1, ?2, ?3, CAST(CAST(?4 AS text) AS jsonb), now(), now())")
                .setParameter(1, id).setParameter(2, plan.input().key()).setParameter(3, status(plan))
                .setParameter(4, Jsons.text(mapper, plan.input())).executeUpdate().flatMap(n -> version(s, id, plan)));
    }

    /** Replaces the definition if still at {@code version}; false if it changed meanwhile. */
    Uni<Boolean> update(UUID id, long version, LeadRuleDefinitions.Plan plan) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE lead_rule SET status = ?3,"
                + " definition = CAST(CAST(?4 AS text) AS jsonb), updated_at = now(), version = version + 1"
                + " WHERE id = ?1 AND version = ?2").setParameter(1, id).setParameter(2, version)
                .setParameter(3, status(plan)).setParameter(4, Jsons.text(mapper, plan.input())).executeUpdate()
                .flatMap(n -> n == 1 ? version(s, id, plan).replaceWith(true) : Uni.createFrom().item(false)));
    }

    /** A paused rule's pending matches are dropped: it makes no lead from them. */
    Uni<Void> dropMatches(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM lead_match WHERE rule_id = ?1")
                .setParameter(1, id).executeUpdate()).replaceWithVoid();
    }

    Uni<Void> delete(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM lead_rule WHERE id = ?1")
                .setParameter(1, id).executeUpdate()).replaceWithVoid();
    }

    /** Writes the rule's new version, and (re)starts its pull schedule from its next fire, or ends it. */
    private Uni<Void> version(Mutiny.Session s, UUID id, LeadRuleDefinitions.Plan plan) {
        return s.createNativeQuery(VERSION).setParameter(1, id).setParameter(2, Jsons.text(mapper, plan.compiled()))
                .setParameter(3, plan.eventTypes().toArray(String[]::new)).executeUpdate()
                .flatMap(n -> plan.nextPull() == null
                        ? s.createNativeQuery("DELETE FROM lead_pull WHERE rule_id = ?1").setParameter(1, id).executeUpdate()
                        : s.createNativeQuery(PULL).setParameter(1, id).setParameter(2, plan.nextPull()).executeUpdate())
                .replaceWithVoid();
    }

    private static String status(LeadRuleDefinitions.Plan plan) {
        return plan.input().isActive() ? "ACTIVE" : "PAUSED";
    }

    private LeadRuleView view(Row r) {
        return view(r.getUUID(0), r.getString(1), r.getOffsetDateTime(2), r.getOffsetDateTime(3), r.getLong(4));
    }

    private LeadRuleView view(UUID id, String definition, Object created, Object updated, long version) {
        try {
            return LeadRuleView.of(id, mapper.readValue(definition, LeadRuleInput.class), Rows.instant(created),
                    Rows.instant(updated), version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Lead rule " + id + " has an unreadable definition", e);
        }
    }
}
