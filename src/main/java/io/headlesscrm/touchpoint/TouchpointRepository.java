package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TouchpointRepository implements PanacheRepositoryBase<Touchpoint, UUID> {

    /** Newest first (ids grow with time): {@code limit} touchpoints matching {@code filter} after {@code cursor}. */
    Uni<List<Touchpoint>> page(TouchpointFilter filter, Cursor cursor, int limit) {
        KeysetQuery q = KeysetQuery.hql("from Touchpoint").whereIf(filter.customerId(), "customerId = ?")
                .whereIf(filter.channel(), "channel = ?").whereIf(filter.status(), "status = ?")
                .whereIf(filter.createdFrom(), "createdAt >= ?").whereIf(filter.createdTo(), "createdAt < ?")
                .page(TouchpointService.KEYSET, cursor, limit);
        return find(q.query(), q.named()).range(0, q.fetch() - 1).list();
    }

    private static final String INSERT = "INSERT INTO touchpoint (id, customer_id, channel, purpose, content, source,"
            + " status, status_reason, created_at, updated_at, campaign_run_id, campaign_variant)"
            + " SELECT t.id, t.customer_id, t.channel, t.purpose, CAST(t.content AS jsonb), t.source, t.status, t.reason,"
            + " ?1, ?1, t.run_id, t.variant FROM unnest(CAST(?2 AS uuid[]), CAST(?3 AS uuid[]), CAST(?4 AS text[]),"
            + " CAST(?5 AS text[]), CAST(?6 AS text[]), CAST(?7 AS text[]), CAST(?8 AS text[]), CAST(?9 AS text[]),"
            + " CAST(?10 AS uuid[]), CAST(?11 AS text[]))"
            + " AS t(id, customer_id, channel, purpose, content, source, status, reason, run_id, variant)";

    @Inject
    ObjectMapper mapper;

    /** Inserts new touchpoints (ids assigned, created at {@code now}) in one statement, in the caller's session. */
    Uni<Void> insertAll(List<Touchpoint> fresh, Instant now) {
        int n = fresh.size();
        UUID[] ids = new UUID[n];
        UUID[] customers = new UUID[n];
        String[] channels = new String[n];
        String[] purposes = new String[n];
        String[] contents = new String[n];
        String[] sources = new String[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        UUID[] runs = new UUID[n];
        String[] variants = new String[n];
        Map<Object, String> json = new IdentityHashMap<>(); // a campaign's rows share their variant's content
        for (int i = 0; i < n; i++) {
            Touchpoint t = fresh.get(i);
            ids[i] = t.getId();
            customers[i] = t.getCustomerId();
            channels[i] = t.getChannel().name();
            purposes[i] = t.getPurpose();
            contents[i] = json.computeIfAbsent(t.getContent(), this::json);
            sources[i] = t.getSource().name();
            statuses[i] = t.getStatus().name();
            reasons[i] = t.getStatusReason();
            runs[i] = t.getCampaignRunId();
            variants[i] = t.getCampaignVariant();
        }
        return getSession().flatMap(s -> s.createNativeQuery(INSERT).setParameter(1, now).setParameter(2, ids)
                .setParameter(3, customers).setParameter(4, channels).setParameter(5, purposes).setParameter(6, contents)
                .setParameter(7, sources).setParameter(8, statuses).setParameter(9, reasons).setParameter(10, runs)
                .setParameter(11, variants).executeUpdate()).replaceWithVoid();
    }

    private String json(Object content) {
        try {
            return mapper.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise touchpoint content", e);
        }
    }

    Uni<List<TouchpointStatusChange>> history(UUID touchpointId) {
        return histories(List.of(touchpointId)).map(h -> h.getOrDefault(touchpointId, List.of()));
    }

    /** Each touchpoint's status changes in the order they were recorded, in one statement for any number. */
    Uni<Map<UUID, List<TouchpointStatusChange>>> histories(Collection<UUID> touchpointIds) {
        return getSession().flatMap(s -> s.createQuery("from TouchpointStatusChange where touchpointId in :ids order by id",
                TouchpointStatusChange.class).setParameter("ids", touchpointIds).getResultList())
                .map(changes -> {
                    Map<UUID, List<TouchpointStatusChange>> byTouchpoint = new HashMap<>();
                    changes.forEach(c -> byTouchpoint.computeIfAbsent(c.getTouchpointId(), k -> new ArrayList<>()).add(c));
                    return byTouchpoint;
                });
    }
}
