package io.headlesscrm.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Loads every saved segment as a {@link SegmentPlan}, in dependency order: a segment after those it reads. */
@ApplicationScoped
class SegmentPlans {

    // depends_on as text: a uuid[] column of a native query comes back as whatever array type the driver chose
    private static final String ALL = "SELECT s.id, s.key, s.kind, array_to_string(s.depends_on, ','), s.refresh_cause,"
            + " s.refresh_staged, b.id, b.key, b.predicate FROM segment s JOIN segment_bucket b ON b.segment_id = s.id"
            + " ORDER BY s.id, b.position";

    /**
     * Read in the caller's session, which holds the upkeep's lock: a second connection from the pool there could wait
     * for ever, when every other connection is taken by a definition change waiting for that lock.
     */
    Uni<List<SegmentPlan>> load() {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(ALL, Object[].class).getResultList()).map(rows -> {
            Map<UUID, SegmentPlan> plans = new LinkedHashMap<>(); // buckets are added to each plan's list in order
            rows.forEach(r -> plans.computeIfAbsent((UUID) r[0], id -> new SegmentPlan(id, (String) r[1],
                    SegmentKind.valueOf((String) r[2]), ids((String) r[3]), false, (String) r[4], (Boolean) r[5],
                    new ArrayList<>()))
                    .buckets().add(new SegmentPlan.Bucket((UUID) r[6], (String) r[7], (String) r[8])));
            Set<UUID> read = new HashSet<>();
            plans.values().forEach(p -> read.addAll(p.dependsOn()));
            plans.replaceAll((id, p) -> new SegmentPlan(id, p.key(), p.kind(), p.dependsOn(), read.contains(id),
                    p.refreshCause(), p.refreshStaged(), List.copyOf(p.buckets())));
            return ordered(plans);
        });
    }

    private static List<UUID> ids(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.stream(joined.split(",")).map(UUID::fromString).toList();
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
