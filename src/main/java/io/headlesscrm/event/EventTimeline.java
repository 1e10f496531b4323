package io.headlesscrm.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.customer.CustomerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A customer's events, newest first, served by the (customer_id, occurred_at, …) keys of the partitions. */
@ApplicationScoped
public class EventTimeline {

    static final Keyset KEYSET = new Keyset("-occurredAt", KeyType.INSTANT, "occurred_at", "id", true);

    @Inject
    Pool pool;
    @Inject
    CustomerRepository customers;

    /** What a timeline shows: event types (empty: all) and a time range (either end open). */
    public record Filter(List<String> types, Instant from, Instant to) {
    }

    /**
     * Each customer's events newest first, {@code limit} after {@code after}, for a GraphQL page of customers: one
     * statement, a LATERAL join with a limit per customer.
     */
    public Uni<Map<UUID, Page.Slice<EventView>>> pages(List<UUID> customerIds, List<String> types, Cursor after,
            int limit) {
        List<Object> values = new ArrayList<>(List.of(customerIds.toArray(UUID[]::new), limit + 1));
        StringBuilder where = new StringBuilder("customer_id = c.id");
        if (!types.isEmpty()) {
            values.add(types.toArray(String[]::new));
            where.append(" AND type = ANY($").append(values.size()).append(")");
        }
        if (after != null) {
            values.add(((Instant) after.key()).atOffset(ZoneOffset.UTC));
            values.add(after.id());
            where.append(" AND (occurred_at, id) < ($").append(values.size() - 1).append(", $").append(values.size())
                    .append(")");
        }
        String sql = "SELECT e.* FROM unnest($1::uuid[]) WITH ORDINALITY AS c(id, n) CROSS JOIN LATERAL (SELECT "
                + EventView.COLUMNS + " FROM event WHERE " + where + " ORDER BY occurred_at DESC, id DESC LIMIT $2) e"
                + " ORDER BY c.n, e.occurred_at DESC, e.id DESC";
        return pool.preparedQuery(sql).execute(Tuple.from(values)).map(rows -> {
            Map<UUID, List<EventView>> byCustomer = new HashMap<>();
            rows.forEach(r -> byCustomer.computeIfAbsent(r.getUUID("customer_id"), k -> new ArrayList<>())
                    .add(EventView.of(r)));
            Map<UUID, Page.Slice<EventView>> pages = new HashMap<>();
            customerIds.forEach(id -> pages.put(id, Page.slice(byCustomer.getOrDefault(id, List.of()), limit,
                    e -> KEYSET.cursor(e.occurredAt(), e.id()))));
            return pages;
        });
    }

    public Uni<Page.Slice<EventView>> page(UUID customerId, Filter filter, Cursor after, int limit) {
        KeysetQuery q = KeysetQuery.sql("SELECT " + EventView.COLUMNS + " FROM event").where("customer_id = ?", customerId)
                .whereIf(filter.from(), "occurred_at >= ?").whereIf(filter.to(), "occurred_at < ?");
        if (!filter.types().isEmpty()) {
            q.where("type = ANY(?)", (Object) filter.types().toArray(String[]::new));
        }
        q.page(KEYSET, after, limit);
        return customers.findViewById(customerId).flatMap(customer -> {
            if (customer == null) {
                return customers.missing(customerId);
            }
            return pool.preparedQuery(q.query()).execute(Tuple.from(q.positional()));
        }).map(rows -> {
            List<EventView> views = new ArrayList<>();
            rows.forEach(r -> views.add(EventView.of(r)));
            return Page.slice(views, limit, e -> KEYSET.cursor(e.occurredAt(), e.id()));
        });
    }
}
