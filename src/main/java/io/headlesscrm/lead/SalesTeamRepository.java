package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

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

/** Sales teams and their reps in SQL: read through the pool, written through the caller's session. */
@ApplicationScoped
class SalesTeamRepository {

    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    private static final TypeReference<List<SalesTeamInput.Rep>> REPS = new TypeReference<>() {
    };
    private static final String COLUMNS = "SELECT id, key, name, created_at, updated_at, version, (SELECT"
            + " coalesce(json_agg(json_build_object('actorId', r.actor_id, 'name', r.name, 'territory', r.territory,"
            + " 'maxOpenLeads', r.max_open, 'active', r.active) ORDER BY r.actor_id), '[]')::text FROM sales_rep r"
            + " WHERE r.team_id = t.id) FROM sales_team t";
    // reps given whole: those left out go, the others keep when they last got a lead (round robin goes on)
    private static final String REPS_SQL = "WITH given AS (SELECT * FROM unnest(CAST(?2 AS text[]), CAST(?3 AS text[]),"
            + " CAST(?4 AS text[]), CAST(?5 AS int[]), CAST(?6 AS boolean[])) AS g(actor_id, name, territory, max_open,"
            + " active)), gone AS (DELETE FROM sales_rep r WHERE r.team_id = ?1 AND r.actor_id NOT IN (SELECT actor_id"
            + " FROM given)) INSERT INTO sales_rep (team_id, actor_id, name, territory, max_open, active) SELECT ?1, actor_id,"
            + " name, territory, max_open, active FROM given ON CONFLICT (team_id, actor_id) DO UPDATE SET name ="
            + " EXCLUDED.name, territory = EXCLUDED.territory, max_open = EXCLUDED.max_open, active = EXCLUDED.active";

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<SalesTeamView> find(UUID id) {
        return pool.preparedQuery(COLUMNS + " WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** The team as the caller's session sees it (its own writes included); null if none. */
    Uni<SalesTeamView> read(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(COLUMNS + " WHERE id = ?1", Object[].class)
                .setParameter(1, id).getResultList()).map(rows -> {
                    if (rows.isEmpty()) {
                        return null;
                    }
                    Object[] r = rows.get(0);
                    return view((UUID) r[0], (String) r[1], (String) r[2], Rows.instant(r[3]), Rows.instant(r[4]),
                            ((Number) r[5]).longValue(), (String) r[6]);
                });
    }

    /** The team with this key, or null. */
    Uni<SalesTeamView> byKey(String key) {
        return pool.preparedQuery(COLUMNS + " WHERE key = $1").execute(Tuple.of(key))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    Uni<Page.Slice<SalesTeamView>> list(Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS).page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).map(rows -> {
            List<SalesTeamView> views = new ArrayList<>();
            rows.forEach(r -> views.add(view(r)));
            return Page.slice(views, limit, v -> KEYSET.cursor(null, v.id()));
        });
    }

    /** Locks the team in the caller's session; false if there is none. */
    Uni<Boolean> lock(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT id FROM sales_team WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList()).map(rows -> !rows.isEmpty());
    }

    Uni<Void> insert(UUID id, SalesTeamInput input) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO sales_team (id, key, name, created_at,"
                + " updated_at) VALUES (?1, ?2, ?3, now(), now())").setParameter(1, id).setParameter(2, input.key())
                .setParameter(3, input.name()).executeUpdate()).flatMap(n -> reps(id, input));
    }

    /** Replaces name and reps if still at {@code version}; false if it changed meanwhile. */
    Uni<Boolean> update(UUID id, long version, SalesTeamInput input) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE sales_team SET key = ?3, name = ?4,"
                + " updated_at = now(), version = version + 1 WHERE id = ?1 AND version = ?2").setParameter(1, id)
                .setParameter(2, version).setParameter(3, input.key()).setParameter(4, input.name()).executeUpdate())
                .flatMap(n -> n == 1 ? reps(id, input).replaceWith(true) : Uni.createFrom().item(false));
    }

    Uni<Void> delete(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM sales_team WHERE id = ?1")
                .setParameter(1, id).executeUpdate()).replaceWithVoid();
    }

    private Uni<Void> reps(UUID team, SalesTeamInput input) {
        List<SalesTeamInput.Rep> reps = input.reps();
        return Panache.getSession().flatMap(s -> s.createNativeQuery(REPS_SQL).setParameter(1, team)
                .setParameter(2, reps.stream().map(r -> r.actorId().trim()).toArray(String[]::new))
                .setParameter(3, reps.stream().map(SalesTeamInput.Rep::name).toArray(String[]::new))
                .setParameter(4, reps.stream().map(SalesTeamInput.Rep::territory).toArray(String[]::new))
                .setParameter(5, reps.stream().map(SalesTeamInput.Rep::maxOpenLeads).toArray(Integer[]::new))
                .setParameter(6, reps.stream().map(SalesTeamInput.Rep::isActive).toArray(Boolean[]::new))
                .executeUpdate()).replaceWithVoid();
    }

    private SalesTeamView view(Row r) {
        return view(r.getUUID(0), r.getString(1), r.getString(2), Rows.instant(r, 3), Rows.instant(r, 4), r.getLong(5),
                r.getString(6));
    }

    private SalesTeamView view(UUID id, String key, String name, java.time.Instant created, java.time.Instant updated,
            long version, String reps) {
        try {
            return new SalesTeamView(id, key, name, mapper.readValue(reps, REPS), created, updated, version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Sales team " + id + " has unreadable reps", e);
        }
    }
}
