package io.headlesscrm.touchpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The first page of touchpoints of each of many customers (a GraphQL page of customers), in one statement. */
@ApplicationScoped
public class TouchpointsOfCustomers {

    /** Each customer's touchpoints newest first, {@code limit} after {@code after}: a LATERAL join, limit per customer. */
    public Uni<Map<UUID, Page.Slice<TouchpointView>>> pages(List<UUID> customerIds, Cursor after, int limit) {
        String sql = "SELECT t.* FROM unnest(CAST(?1 AS uuid[])) WITH ORDINALITY AS c(id, n) CROSS JOIN LATERAL"
                + " (SELECT * FROM touchpoint WHERE customer_id = c.id" + (after == null ? "" : " AND id < ?3")
                + " ORDER BY id DESC LIMIT ?2) t ORDER BY c.n, t.id DESC";
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> {
            var query = s.createNativeQuery(sql, Touchpoint.class)
                    .setParameter(1, customerIds.toArray(UUID[]::new)).setParameter(2, limit + 1);
            return (after == null ? query : query.setParameter(3, after.id())).getResultList();
        })).map(rows -> {
            Map<UUID, List<TouchpointView>> byCustomer = new HashMap<>();
            rows.forEach(t -> byCustomer.computeIfAbsent(t.getCustomerId(), k -> new ArrayList<>()).add(TouchpointView.of(t, null)));
            Map<UUID, Page.Slice<TouchpointView>> pages = new HashMap<>();
            customerIds.forEach(id -> pages.put(id, Page.slice(byCustomer.getOrDefault(id, List.of()), limit,
                    t -> TouchpointService.KEYSET.cursor(t.id(), t.id()))));
            return pages;
        });
    }
}
