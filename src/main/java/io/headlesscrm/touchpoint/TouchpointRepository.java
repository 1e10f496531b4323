package io.headlesscrm.touchpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TouchpointRepository implements PanacheRepositoryBase<Touchpoint, UUID> {

    /** Newest first (ids grow with time): {@code limit} touchpoints matching {@code filter} after {@code cursor}. */
    Uni<List<Touchpoint>> page(TouchpointFilter filter, Cursor cursor, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.customerId() != null) {
            where.add("customerId = :customerId");
            params.and("customerId", filter.customerId());
        }
        if (filter.channel() != null) {
            where.add("channel = :channel");
            params.and("channel", filter.channel());
        }
        if (filter.status() != null) {
            where.add("status = :status");
            params.and("status", filter.status());
        }
        if (filter.createdFrom() != null) {
            where.add("createdAt >= :from");
            params.and("from", filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            where.add("createdAt < :to");
            params.and("to", filter.createdTo());
        }
        if (cursor != null) {
            where.add("id < :after");
            params.and("after", cursor.id());
        }
        String query = where.isEmpty() ? "order by id desc" : String.join(" and ", where) + " order by id desc";
        return find(query, params).range(0, limit - 1).list();
    }

    Uni<List<TouchpointStatusChange>> history(UUID touchpointId) {
        return getSession().flatMap(s -> s.createQuery("from TouchpointStatusChange where touchpointId = :id order by id",
                TouchpointStatusChange.class).setParameter("id", touchpointId).getResultList());
    }
}
