package io.headlesscrm.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.headlesscrm.common.Rows;
import io.headlesscrm.segment.SegmentPlan.Change;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps materialised membership up to date, on every instance. Each step is one transaction under a cluster-wide
 * advisory lock, so evaluations never interleave (no double entries, no stale overwrite): it re-evaluates every
 * segment, in dependency order, for the customers writes marked dirty (oldest first), or else advances one pending
 * full recompute by a chunk of customers. Claimed marks and a recompute's cursor commit with the changes they
 * caused, so a crash at any point repeats the step, never loses or doubles it. Entries and exits are recorded with
 * their cause and sent as segment.entered / segment.exited through the outbox in the same transaction.
 */
@ApplicationScoped
public class SegmentUpkeep {

    private static final Logger LOG = Logger.getLogger(SegmentUpkeep.class);
    static final long LOCK = 0x5e67_0001L;
    private static final UUID ZERO = new UUID(0, 0);
    private static final UUID LAST = new UUID(-1, -1);
    private static final String CLAIM = "DELETE FROM segment_dirty d USING (SELECT customer_id, seq FROM segment_dirty"
            + " ORDER BY seq LIMIT ?1 FOR UPDATE SKIP LOCKED) x WHERE d.customer_id = x.customer_id AND d.seq = x.seq"
            + " RETURNING d.customer_id, d.marked_at";
    private static final String DUE = "UPDATE segment SET refresh_cause = 'time', refresh_after = NULL WHERE time_relative"
            + " AND refresh_cause IS NULL AND (refreshed_at IS NULL OR refreshed_at < now() - make_interval(secs => ?1))";

    @Inject
    SegmentsConfig config;
    @Inject
    SegmentPlans plans;
    @Inject
    Outbox outbox;

    /** What one step did. */
    record Step(int customers, List<Change> changes) {
        static final Step IDLE = new Step(0, List.of());
    }

    /**
     * Runs steps back to back while there is work, and looks again every {@code upkeep-every} when there is none,
     * for {@code max-run}; the scheduler (whose shortest period is a second) starts the next run after.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        Instant until = Instant.now().plus(config.maxRun());
        Context context = Vertx.currentContext(); // Hibernate Reactive runs on it; a delay resumes elsewhere
        Executor back = command -> context.runOnContext(v -> command.run());
        return Multi.createBy().repeating()
                .uni(() -> step().call(s -> s.customers() > 0 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(config.upkeepEvery()).emitOn(back)))
                .whilst(s -> Instant.now().plus(config.upkeepEvery()).isBefore(until)) // done before the next tick
                .collect().last().onFailure().invoke(e -> LOG.warn("Segment upkeep step failed; it is retried", e))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One transaction's worth of upkeep; {@link Step#IDLE} when another instance holds the lock or nothing is due. */
    Uni<Step> step() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s
                .createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)", Boolean.class).setParameter(1, LOCK)
                .getSingleResult().flatMap(locked -> !locked ? Uni.createFrom().item(Step.IDLE)
                        : s.createNativeQuery(DUE).setParameter(1, (double) config.timeRefresh().toSeconds())
                                .executeUpdate().flatMap(n -> work(s)))));
    }

    private Uni<Step> work(Mutiny.Session s) {
        return s.createNativeQuery(CLAIM, Object[].class).setParameter(1, config.dirtyBatch()).getResultList()
                .flatMap(claimed -> plans.load().flatMap(segments -> {
                    if (!claimed.isEmpty()) {
                        Map<UUID, Instant> marks = new LinkedHashMap<>();
                        claimed.forEach(r -> marks.merge((UUID) r[0], Rows.instant(r[1]), (a, b) -> a.isBefore(b) ? a : b));
                        return reevaluate(s, segments, List.copyOf(marks.keySet()));
                    }
                    return segments.stream().filter(p -> p.refreshCause() != null).findFirst()
                            .map(p -> refresh(s, p)).orElse(Uni.createFrom().item(Step.IDLE));
                }))
                .call(step -> outbox.enqueue(SegmentPlan.events(step.changes())));
    }

    private Uni<Step> reevaluate(Mutiny.Session s, List<SegmentPlan> segments, List<UUID> customers) {
        UUID[] ids = customers.toArray(UUID[]::new);
        Uni<List<Change>> all = Uni.createFrom().item(new ArrayList<>());
        for (SegmentPlan plan : segments) {
            all = all.flatMap(done -> s.createNativeQuery(plan.apply(SegmentPlan.BY_IDS, "customer", true, false), Object[].class)
                    .setParameter(1, ids).getResultList().map(rows -> {
                        done.addAll(plan.changes(rows, "customer"));
                        return done;
                    }));
        }
        return all.map(changes -> new Step(customers.size(), changes));
    }

    /** The next chunk of a full recompute; the segment's cursor moves with it, or the recompute ends. */
    private Uni<Step> refresh(Mutiny.Session s, SegmentPlan plan) {
        String cause = plan.refreshCause();
        boolean created = cause.equals("created");
        UUID from = plan.refreshAfter() == null ? ZERO : plan.refreshAfter();
        String sql = plan.apply(SegmentPlan.CHUNK, cause, !created, plan.hasDependents());
        long started = System.nanoTime();
        return s.createNativeQuery("SELECT id FROM customer WHERE id > CAST(?1 AS uuid) ORDER BY id LIMIT 1 OFFSET ?2",
                UUID.class).setParameter(1, from).setParameter(2, config.refreshChunk() - 1).getResultList()
                .flatMap(last -> s.createNativeQuery(sql, Object[].class).setParameter(1, from)
                        .setParameter(2, last.isEmpty() ? LAST : last.get(0)).getResultList()
                        .flatMap(rows -> {
                            List<Change> changes = plan.changes(rows, cause);
                            String advance = last.isEmpty()
                                    ? "UPDATE segment SET refresh_cause = NULL, refresh_after = NULL, refreshed_at = now() WHERE id = ?1"
                                    : "UPDATE segment SET refresh_after = CAST(?2 AS uuid) WHERE id = ?1";
                            var update = s.createNativeQuery(advance).setParameter(1, plan.id());
                            if (!last.isEmpty()) {
                                update.setParameter(2, last.get(0));
                            }
                            LOG.debugf("Recomputed %s after %s: %d changes in %d ms", plan.key(), from, changes.size(),
                                    (System.nanoTime() - started) / 1_000_000);
                            // the first computation of a new segment is where its members start: no history, no events
                            return update.executeUpdate().map(n -> new Step(config.refreshChunk(),
                                    created ? List.of() : changes));
                        }));
    }
}
