package io.headlesscrm.campaign;

import java.time.Instant;
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
import io.vertx.mutiny.sqlclient.Tuple;

/** Campaign definitions in SQL: read through the pool, written through the caller's Hibernate Reactive session. */
@ApplicationScoped
public class CampaignRepository {

    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    private static final String COLUMNS = "SELECT id, status, salt, next_run_at, created_at, updated_at, version,"
            + " definition::text FROM campaign";

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<CampaignView> find(UUID id) {
        return pool.preparedQuery(COLUMNS + " WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** The campaigns among {@code ids}; unknown ids are left out. */
    Uni<List<CampaignView>> findAll(List<UUID> ids) {
        return pool.preparedQuery(COLUMNS + " WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<CampaignView> views = new java.util.ArrayList<>();
                    rows.forEach(r -> views.add(view(r)));
                    return views;
                });
    }

    /** The campaign read in the caller's session, locked against concurrent lifecycle changes; null if none. */
    Uni<CampaignView> lock(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT id, status, salt, next_run_at, created_at,"
                + " updated_at, version, definition::text FROM campaign WHERE id = ?1 FOR UPDATE", Object[].class)
                .setParameter(1, id).getResultList())
                .map(rows -> rows.isEmpty() ? null : view(rows.get(0)));
    }

    Uni<Page.Slice<CampaignView>> list(CampaignStatus status, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS).whereIf(status == null ? null : status.name(), "status = ?")
                .page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional()))
                .map(rows -> {
                    List<CampaignView> views = new java.util.ArrayList<>();
                    rows.forEach(r -> views.add(view(r)));
                    return Page.slice(views, limit, v -> KEYSET.cursor(null, v.id()));
                });
    }

    Uni<Void> insert(UUID id, CampaignDefinitions.Plan plan, String salt) {
        CampaignInput input = plan.input();
        return Panache.getSession().flatMap(s -> goal(s.createNativeQuery("INSERT INTO campaign (id, name, status,"
                + " channel, priority, definition, salt, goal_type, goal_window, goal_filter, created_at, updated_at)"
                + " VALUES (?1, ?2, 'DRAFT', ?3, ?4, CAST(CAST(?5 AS text) AS jsonb), ?6, ?7, CAST(CAST(?8 AS text) AS interval), ?9,"
                + " now(), now())"), plan).setParameter(1, id).setParameter(2, input.name())
                .setParameter(3, input.channel().name()).setParameter(4, priority(input)).setParameter(5, Jsons.text(mapper, input))
                .setParameter(6, salt).executeUpdate()).replaceWithVoid();
    }

    /** Replaces the definition if still at {@code version}; false if it changed meanwhile. */
    Uni<Boolean> update(UUID id, long version, CampaignDefinitions.Plan plan) {
        CampaignInput input = plan.input();
        return Panache.getSession().flatMap(s -> goal(s.createNativeQuery("UPDATE campaign SET name = ?2, channel = ?3,"
                + " priority = ?4, definition = CAST(CAST(?5 AS text) AS jsonb), goal_type = ?7,"
                + " goal_window = CAST(CAST(?8 AS text) AS interval), goal_filter = ?9, updated_at = now(), version = version + 1"
                + " WHERE id = ?1 AND version = ?6"), plan).setParameter(1, id).setParameter(2, input.name())
                .setParameter(3, input.channel().name()).setParameter(4, priority(input)).setParameter(5, Jsons.text(mapper, input))
                .setParameter(6, version).executeUpdate()).map(n -> n == 1);
    }

    /** Binds the conversion goal as attribution reads it: type, window, property filters (?7 to ?9). */
    private static <T extends org.hibernate.reactive.mutiny.Mutiny.MutationQuery> T goal(T query,
            CampaignDefinitions.Plan plan) {
        CampaignInput.Conversion goal = plan.input().conversion();
        query.setParameter(7, goal == null ? null : goal.eventType());
        query.setParameter(8, goal == null ? null : CampaignDefinitions.window(goal).toString());
        query.setParameter(9, plan.goalFilter());
        return query;
    }

    /** Moves the campaign to {@code to} (and its next run time) in the caller's transaction. */
    Uni<Void> move(UUID id, CampaignStatus to, Instant nextRunAt) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE campaign SET status = ?2, next_run_at = ?3,"
                + " updated_at = now(), version = version + 1 WHERE id = ?1").setParameter(1, id)
                .setParameter(2, to.name()).setParameter(3, nextRunAt).executeUpdate()).replaceWithVoid();
    }

    Uni<Boolean> delete(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM campaign WHERE id = ?1")
                .setParameter(1, id).executeUpdate()).map(n -> n == 1);
    }

    private static int priority(CampaignInput input) {
        return input.priority() == null ? 0 : input.priority();
    }

    private CampaignView view(Row r) {
        return view(r.getUUID(0), r.getString(1), r.getString(2), Rows.instant(r, 3), Rows.instant(r, 4),
                Rows.instant(r, 5), r.getLong(6), r.getString(7));
    }

    private CampaignView view(Object[] r) {
        return view((UUID) r[0], (String) r[1], (String) r[2], Rows.instant(r[3]), Rows.instant(r[4]),
                Rows.instant(r[5]), ((Number) r[6]).longValue(), (String) r[7]);
    }

    private CampaignView view(UUID id, String status, String salt, Instant next, Instant created, Instant updated,
            long version, String definition) {
        try {
            return CampaignView.of(id, mapper.readValue(definition, CampaignInput.class), CampaignStatus.valueOf(status),
                    salt, next, created, updated, version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Campaign " + id + " has an unreadable definition", e);
        }
    }
}
