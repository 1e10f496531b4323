package io.headlesscrm.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.work.WorkLoop;
import io.headlesscrm.segment.SegmentPlan.Change;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Keeps materialised membership up to date, on every instance. Each step is one transaction under a cluster-wide
 * advisory lock, so evaluations never interleave (no double entries, no stale overwrite): it re-evaluates every
 * segment, in dependency order, for the customers writes marked dirty (oldest first), or else advances one pending
 * full recompute (its one set-based pass, or a chunk of the differences that pass staged). Claimed marks and staged
 * differences are consumed in the transaction that applies them, so a crash at any point repeats the step, never
 * loses or doubles it. Entries and exits are recorded with
 * their cause and sent as segment.entered / segment.exited through the outbox in the same transaction.
 */
@ApplicationScoped
public class SegmentUpkeep {

    private static final Logger LOG = Logger.getLogger(SegmentUpkeep.class);
    static final long LOCK = 0x5e67_0001L;
    /** Up to how many chunks' worth of members a new segment's first computation writes in the step of its pass. */
    static final int DIRECT = 10;
    private static final String CLAIM = "DELETE FROM segment_dirty d USING (SELECT customer_id, seq FROM segment_dirty"
            + " ORDER BY seq LIMIT ?1 FOR UPDATE SKIP LOCKED) x WHERE d.customer_id = x.customer_id AND d.seq = x.seq"
            + " RETURNING d.customer_id, d.marked_at";
    private static final String DUE = "UPDATE segment SET refresh_cause = 'time', refresh_staged = false WHERE time_relative"
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
     * for {@code max-run} (longer, by whole seconds, while steps find work); the scheduler (whose shortest period
     * is a second) starts the next run after.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return WorkLoop.run(() -> step().map(s -> s.customers() > 0), config.upkeepEvery(), config.maxRun(), LOG,
                "Segment upkeep");
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

    /** Re-evaluates every segment for these customers; what a recompute staged for them is superseded. */
    private Uni<Step> reevaluate(Mutiny.Session s, List<SegmentPlan> segments, List<UUID> customers) {
        UUID[] ids = customers.toArray(UUID[]::new);
        Uni<List<Change>> all = s.createNativeQuery("DELETE FROM segment_pending WHERE customer_id = ANY(CAST(?1 AS uuid[]))")
                .setParameter(1, ids).executeUpdate().map(n -> new ArrayList<>());
        for (SegmentPlan plan : segments) {
            all = all.flatMap(done -> s.createNativeQuery(plan.evaluate("customer"), Object[].class)
                    .setParameter(1, ids).getResultList().map(rows -> {
                        done.addAll(plan.changes(rows, "customer"));
                        return done;
                    }));
        }
        return all.map(changes -> new Step(customers.size(), changes));
    }

    /**
     * One step of a full recompute: first one set-based pass that finds every difference, then a chunk of them at
     * a time (history, webhooks and dependents' marks with each), until none is left and the recompute ends. A new
     * segment's first computation writes members only (no history, no webhooks), so when it is small (up to
     * {@value #DIRECT} chunks) its members are written in the step of the pass, not staged.
     */
    private Uni<Step> refresh(Mutiny.Session s, SegmentPlan plan) {
        if (plan.refreshStaged()) {
            return apply(s, plan, config.refreshChunk());
        }
        long started = System.nanoTime();
        return s.createNativeQuery(plan.pass()).executeUpdate().flatMap(found -> {
            if (plan.refreshCause().equals("created") && !plan.hasDependents()
                    && found <= DIRECT * config.refreshChunk()) {
                return s.createNativeQuery(plan.start()).executeUpdate()
                        .call(n -> done(s, plan))
                        .invoke(n -> LOG.debugf("Recompute of %s started with %d members in %d ms", plan.key(), n,
                                (System.nanoTime() - started) / 1_000_000))
                        .map(n -> new Step(Math.max(1, n), List.of()));
            }
            return s.createNativeQuery(plan.stage()).executeUpdate()
                    .call(n -> s.createNativeQuery("UPDATE segment SET refresh_staged = true WHERE id = ?1")
                            .setParameter(1, plan.id()).executeUpdate())
                    .invoke(n -> LOG.debugf("Recompute of %s staged %d differences in %d ms", plan.key(), n,
                            (System.nanoTime() - started) / 1_000_000))
                    .map(n -> new Step(1, List.of()));
        });
    }

    private static Uni<Integer> done(Mutiny.Session s, SegmentPlan plan) {
        return s.createNativeQuery("UPDATE segment SET refresh_cause = NULL, refresh_staged = false, refreshed_at = now()"
                + " WHERE id = ?1").setParameter(1, plan.id()).executeUpdate();
    }

    /** Applies up to {@code limit} staged differences; the recompute ends with the step that leaves none. */
    private Uni<Step> apply(Mutiny.Session s, SegmentPlan plan, int limit) {
        long started = System.nanoTime();
        String cause = plan.refreshCause();
        boolean created = cause.equals("created");
        return s.createNativeQuery(plan.nextStaged(limit), Object[].class).getResultList().flatMap(rows -> {
            Uni<Step> applied = Uni.createFrom().item(new Step(1, List.of()));
            if (!rows.isEmpty()) {
                UUID[] customers = rows.stream().map(r -> (UUID) r[0]).toArray(UUID[]::new);
                UUID[] to = rows.stream().map(r -> (UUID) r[2]).toArray(UUID[]::new);
                UUID[] leaving = rows.stream().filter(r -> r[2] == null).map(r -> (UUID) r[0]).toArray(UUID[]::new);
                applied = s.createNativeQuery(plan.applyStaged(cause, !created, plan.hasDependents()))
                        .setParameter(1, customers).setParameter(2, to).setParameter(3, leaving).getSingleResult()
                        .map(n -> {
                            // the first computation of a new segment is where its members start: no history, no events
                            List<Change> changes = created ? List.of() : plan.changes(rows, cause);
                            LOG.debugf("Recompute of %s applied %d changes in %d ms", plan.key(), rows.size(),
                                    (System.nanoTime() - started) / 1_000_000);
                            return new Step(rows.size(), changes);
                        });
            }
            if (rows.size() == limit) {
                return applied; // there may be more
            }
            return applied.call(step -> done(s, plan));
        });
    }
}
