package io.headlesscrm.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Leads and their history in SQL, read through the pool (or a transaction's connection). */
@ApplicationScoped
class LeadRepository {

    /** Newest first: lead ids are time-ordered. */
    static final Keyset KEYSET = Keyset.byId("-id", "id", true);
    static final Keyset HISTORY = Keyset.byId("id", "id", false);
    // the trace's ruleId is the rule as it is now, not as the lead stored it: the rule, if it still exists (a deleted
    // rule's leads lose it, even one a matcher step in flight made after the deletion, V19)
    private static final String COLUMNS = "SELECT id, customer_id, type, priority, score, status, assignee,"
            + " trace::text, triggered_at, created_at, updated_at, version, expires_at,"
            + " (SELECT r.id FROM lead_rule r WHERE r.id = lead.rule_id) AS live_rule_id FROM lead";
    /** History lines: a lead's implied first one (its id is the lead's), then the stored ones. */
    private static final String CHANGES = "SELECT id, lead_id, at, from_status, to_status, assignee, actor_type, actor_id,"
            + " note FROM (SELECT id, id AS lead_id, created_at AS at, CAST(NULL AS varchar) AS from_status,"
            + " CAST('NEW' AS varchar) AS to_status, CAST(NULL AS varchar) AS assignee, CAST('rule' AS varchar) AS actor_type,"
            + " coalesce(rule_key, '') AS actor_id, CAST(NULL AS varchar) AS note FROM lead UNION ALL SELECT id, lead_id, at,"
            + " from_status, to_status, assignee, actor_type, actor_id, note FROM lead_history) h";

    /** What a list may be narrowed by. */
    record Filter(LeadStatus status, boolean open, UUID ruleId, String assignee, UUID customerId) {
    }

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    Uni<LeadView> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery(COLUMNS + " WHERE id = $1" + (lock ? " FOR NO KEY UPDATE" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** The leads among {@code ids}; unknown ids are left out. */
    Uni<List<LeadView>> findAll(List<UUID> ids) {
        return pool.preparedQuery(COLUMNS + " WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<LeadView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(view(r)));
                    return views;
                });
    }

    Uni<Page.Slice<LeadView>> list(Filter f, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(COLUMNS).whereIf(f.status() == null ? null : f.status().name(), "status = ?")
                .whereIf(f.open() ? LeadStatus.OPEN.stream().map(Enum::name).toArray(String[]::new) : null,
                        "status = ANY(?)")
                .whereIf(f.ruleId(), "rule_id = ?").whereIf(f.assignee(), "assignee = ?")
                .whereIf(f.customerId(), "customer_id = ?").page(KEYSET, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).map(rows -> {
            List<LeadView> views = new ArrayList<>();
            rows.forEach(r -> views.add(view(r)));
            return Page.slice(views, limit, v -> KEYSET.cursor(null, v.id()));
        });
    }

    Uni<Page.Slice<LeadChange>> history(UUID leadId, Cursor after, int limit) {
        KeysetQuery page = KeysetQuery.sql(CHANGES).where("lead_id = ?", leadId).page(HISTORY, after, limit);
        return pool.preparedQuery(page.query()).execute(Tuple.from(page.positional())).map(rows -> {
            List<LeadChange> changes = new ArrayList<>();
            rows.forEach(r -> changes.add(change(r)));
            return Page.slice(changes, limit, c -> HISTORY.cursor(null, c.id()));
        });
    }

    /** History lines by id (a lead's id: its implied first line), with their leads as they are now (what webhook events carry). */
    Uni<Map<UUID, Map<String, Object>>> changesWithLeads(Collection<UUID> ids) {
        return pool.preparedQuery(CHANGES + " WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .flatMap(rows -> {
                    List<LeadChange> changes = new ArrayList<>();
                    rows.forEach(r -> changes.add(change(r)));
                    UUID[] leads = changes.stream().map(LeadChange::leadId).distinct().toArray(UUID[]::new);
                    return pool.preparedQuery(COLUMNS + " WHERE id = ANY($1)").execute(Tuple.of((Object) leads))
                            .map(leadRows -> {
                                Map<UUID, LeadView> byId = new LinkedHashMap<>();
                                leadRows.forEach(r -> byId.put(r.getUUID(0), view(r)));
                                Map<UUID, Map<String, Object>> data = new LinkedHashMap<>();
                                for (LeadChange c : changes) {
                                    LeadView lead = byId.get(c.leadId());
                                    if (lead != null) {
                                        Map<String, Object> event = new LinkedHashMap<>();
                                        event.put("lead", lead);
                                        event.put("change", c);
                                        data.put(c.id(), event);
                                    }
                                }
                                return data;
                            });
                });
    }

    private LeadView view(Row r) {
        try {
            LeadView.Trace stored = mapper.readValue(r.getString(7), LeadView.Trace.class);
            LeadView.Trace trace = new LeadView.Trace(r.getUUID(13), stored.ruleKey(), stored.ruleVersion(),
                    stored.events());
            return new LeadView(r.getUUID(0), r.getUUID(1), r.getString(2), LeadPriority.valueOf(r.getString(3)),
                    r.getInteger(4), LeadStatus.valueOf(r.getString(5)), r.getString(6),
                    trace, Rows.instant(r, 8), Rows.instant(r, 9),
                    Rows.instant(r, 10), r.getLong(11), r.getValue(12) == null ? null : Rows.instant(r, 12));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Lead " + r.getUUID(0) + " has an unreadable trace", e);
        }
    }

    private static LeadChange change(Row r) {
        String from = r.getString(3);
        Instant at = Rows.instant(r, 2);
        return new LeadChange(r.getUUID(0), r.getUUID(1), at, from == null ? null : LeadStatus.valueOf(from),
                LeadStatus.valueOf(r.getString(4)), r.getString(5), new LeadChange.By(r.getString(6), r.getString(7)),
                r.getString(8));
    }
}
