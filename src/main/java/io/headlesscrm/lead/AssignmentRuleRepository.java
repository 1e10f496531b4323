package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Assignment rules in SQL: read through the pool (or the matcher's connection), written through the caller's session. */
@ApplicationScoped
class AssignmentRuleRepository {

    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    private static final String COLUMNS = "SELECT id, position, definition::text, created_at, updated_at, version, team_id,"
            + " customer_predicate FROM lead_assignment_rule";

    /** A rule as the matcher applies it: its team's id and its customer condition (scoped SQL, or null). */
    record Compiled(AssignmentRuleView rule, UUID teamId, String customer) {
    }

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<AssignmentRuleView> find(UUID id) {
        return pool.preparedQuery(COLUMNS + " WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : compiled(rows.iterator().next()).rule());
    }

    /** The rule as the caller's session sees it (its own writes included); null if none. */
    Uni<AssignmentRuleView> read(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(COLUMNS + " WHERE id = ?1", Object[].class)
                .setParameter(1, id).getResultList()).map(rows -> {
                    if (rows.isEmpty()) {
                        return null;
                    }
                    Object[] r = rows.get(0);
                    return view((UUID) r[0], ((Number) r[1]).intValue(), (String) r[2], Rows.instant(r[3]),
                            Rows.instant(r[4]), ((Number) r[5]).longValue());
                });
    }

    /** Every rule in the order they are tried. */
    Uni<List<Compiled>> ordered(SqlClient client) {
        return client.preparedQuery(COLUMNS + " ORDER BY position, id").execute().map(rows -> {
            List<Compiled> all = new ArrayList<>();
            rows.forEach(r -> all.add(compiled(r)));
            return all;
        });
    }

    Uni<Page.Slice<AssignmentRuleView>> list(Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS).page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).map(rows -> {
            List<AssignmentRuleView> views = new ArrayList<>();
            rows.forEach(r -> views.add(compiled(r).rule()));
            return Page.slice(views, limit, v -> KEYSET.cursor(null, v.id()));
        });
    }

    Uni<Void> insert(UUID id, AssignmentRuleInput input, UUID team, String customer) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO lead_assignment_rule (id, key, position,"
                + " team_id, definition, customer_predicate, created_at, updated_at) VALUES (?1, ?2, coalesce(?3, (SELECT"
                + " coalesce(max(position) + 1, 0) FROM lead_assignment_rule)), ?4, CAST(CAST(?5 AS text) AS jsonb), ?6,"
                + " now(), now())").setParameter(1, id).setParameter(2, input.key()).setParameter(3, input.position())
                .setParameter(4, team).setParameter(5, Jsons.text(mapper, input)).setParameter(6, customer).executeUpdate())
                .replaceWithVoid();
    }

    /** Replaces the rule if still at {@code version}; false if it changed meanwhile. */
    Uni<Boolean> update(UUID id, long version, AssignmentRuleInput input, UUID team, String customer) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE lead_assignment_rule SET key = ?3,"
                + " position = ?4, team_id = ?5, definition = CAST(CAST(?6 AS text) AS jsonb), customer_predicate = ?7,"
                + " updated_at = now(), version = version + 1 WHERE id = ?1 AND version = ?2").setParameter(1, id)
                .setParameter(2, version).setParameter(3, input.key()).setParameter(4, input.position())
                .setParameter(5, team).setParameter(6, Jsons.text(mapper, input)).setParameter(7, customer).executeUpdate())
                .map(n -> n == 1);
    }

    Uni<Boolean> delete(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM lead_assignment_rule WHERE id = ?1")
                .setParameter(1, id).executeUpdate()).map(n -> n == 1);
    }

    private Compiled compiled(Row r) {
        return new Compiled(view(r.getUUID(0), r.getInteger(1), r.getString(2), Rows.instant(r, 3), Rows.instant(r, 4),
                r.getLong(5)), r.getUUID(6), r.getString(7));
    }

    private AssignmentRuleView view(UUID id, int position, String definition, java.time.Instant created,
            java.time.Instant updated, long version) {
        try {
            return AssignmentRuleView.of(id, position, mapper.readValue(definition, AssignmentRuleInput.class), created,
                    updated, version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Assignment rule " + id + " is unreadable", e);
        }
    }
}
