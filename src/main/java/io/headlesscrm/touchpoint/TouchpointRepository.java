package io.headlesscrm.touchpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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
