package io.headlesscrm.touchpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.headlesscrm.common.Retention;
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

    Uni<List<TouchpointStatusChange>> history(Touchpoint touchpoint) {
        return histories(List.of(touchpoint)).map(h -> h.get(touchpoint.getId()));
    }

    /**
     * Each touchpoint's statuses in the order they were recorded, in one statement for any number: first the one it
     * was created with, which is not stored (QUEUED, or SUPPRESSED for good), then the changes partners reported.
     */
    Uni<Map<UUID, List<TouchpointStatusChange>>> histories(Collection<Touchpoint> touchpoints) {
        List<UUID> ids = touchpoints.stream().map(Touchpoint::getId).toList();
        return getSession().flatMap(s -> s.createQuery("from TouchpointStatusChange where touchpointId in :ids order by id",
                TouchpointStatusChange.class).setParameter("ids", ids).getResultList())
                .map(changes -> {
                    Map<UUID, List<TouchpointStatusChange>> byTouchpoint = new HashMap<>();
                    touchpoints.forEach(t -> byTouchpoint.computeIfAbsent(t.getId(), k -> new ArrayList<>())
                            .add(TouchpointStatusChange.first(t)));
                    changes.forEach(c -> byTouchpoint.get(c.getTouchpointId()).add(c));
                    return byTouchpoint;
                });
    }

    /**
     * Touchpoints older than {@code crm.touchpoints.retention} are purged, with their status history (none by
     * default: reaches are kept until a deployer sets one).
     */
    @Produces
    @Singleton
    static Retention retention(TouchpointsConfig config) {
        return new Retention("touchpoint", "created_at", config.retention());
    }
}
