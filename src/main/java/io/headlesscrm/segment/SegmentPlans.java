package io.headlesscrm.segment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Loads every saved segment as a {@link SegmentPlan}, in dependency order: a segment after those it reads. */
@ApplicationScoped
class SegmentPlans {

    private static final String ALL = "SELECT s.id, s.key, s.kind, s.depends_on, s.refresh_cause, s.refresh_staged,"
            + " b.id, b.key, b.predicate FROM segment s JOIN segment_bucket b ON b.segment_id = s.id"
            + " ORDER BY s.id, b.position";

    @Inject
    Pool pool;

    Uni<List<SegmentPlan>> load() {
        return pool.query(ALL).execute().map(rows -> {
            Map<UUID, SegmentPlan> plans = new LinkedHashMap<>(); // buckets are added to each plan's list in order
            rows.forEach(r -> plans.computeIfAbsent(r.getUUID(0), id -> new SegmentPlan(id, r.getString(1),
                    SegmentKind.valueOf(r.getString(2)), List.of(r.getArrayOfUUIDs(3)), false, r.getString(4),
                    r.getBoolean(5), new ArrayList<>()))
                    .buckets().add(new SegmentPlan.Bucket(r.getUUID(6), r.getString(7), r.getString(8))));
            Set<UUID> read = new HashSet<>();
            plans.values().forEach(p -> read.addAll(p.dependsOn()));
            plans.replaceAll((id, p) -> new SegmentPlan(id, p.key(), p.kind(), p.dependsOn(), read.contains(id),
                    p.refreshCause(), p.refreshStaged(), List.copyOf(p.buckets())));
            return ordered(plans);
        });
    }

    /** Depth-first: each segment after the ones it reads (cycles are refused when saved). */
    private static List<SegmentPlan> ordered(Map<UUID, SegmentPlan> plans) {
        List<SegmentPlan> order = new ArrayList<>();
        Set<UUID> placed = new HashSet<>();
        plans.keySet().forEach(id -> place(id, plans, placed, order));
        return order;
    }

    private static void place(UUID id, Map<UUID, SegmentPlan> plans, Set<UUID> placed, List<SegmentPlan> order) {
        SegmentPlan plan = plans.get(id);
        if (plan == null || !placed.add(id)) {
            return;
        }
        plan.dependsOn().forEach(d -> place(d, plans, placed, order));
        order.add(plan);
    }
}
