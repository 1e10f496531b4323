package io.headlesscrm.campaign;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.headlesscrm.campaign.CampaignDefinitions.Plan;
import io.headlesscrm.campaign.CampaignInput.ScheduleType;
import io.headlesscrm.common.CronSchedules;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.work.JobLease;
import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.segment.SegmentEntries;
import io.headlesscrm.touchpoint.FrequencyCap;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One step of a run, in one transaction under the run's row lock: materialise the audience, or take new entries
 * (entry-triggered runs), or decide and send the next batches ({@link CampaignDecisions}: each in a transaction of its
 * own, committed while the step holds the lock), or complete the run. Pausing or cancelling takes the same lock, so it
 * waits at most for the step in flight, and the next step sees it and stops. The lock is FOR NO KEY UPDATE: the
 * batches' first rows of a run's counts and report check their run by foreign key (FOR KEY SHARE), which it lets
 * through where FOR UPDATE would wait for the step that waits for them.
 */
@ApplicationScoped
class CampaignRunStep {

    private static final Logger LOG = Logger.getLogger(CampaignRunStep.class);

    enum Outcome {
        /** Another step has work now. */
        MORE,
        /** Nothing to do now: the run is waiting (deferred recipients, entries), finished, or no longer this one's. */
        IDLE
    }

    /** What an instance holds while it works a run: the run, and its campaign's plan compiled once. */
    record Work(UUID runId, JobLease lease, CampaignView campaign, ScheduleType trigger, Instant createdAt, Plan plan,
            List<FrequencyCap> caps, SegmentEntries.Bucket entering) {
    }

    @Inject
    Pool pool;
    @Inject
    CampaignRepository campaigns;
    @Inject
    CampaignDefinitions definitions;
    @Inject
    CampaignCaps caps;
    @Inject
    CampaignDecisions decisions;
    @Inject
    SegmentEntries entries;
    @Inject
    CronSchedules crons;
    @Inject
    CampaignsConfig config;
    @Inject
    Outbox outbox;
    @Inject
    ServiceClock clock;

    Uni<Work> prepare(UUID runId, JobLease lease) {
        return pool.preparedQuery("SELECT campaign_id, trigger, created_at FROM campaign_run WHERE id = $1")
                .execute(Tuple.of(runId)).flatMap(rows -> {
                    var r = rows.iterator().next();
                    ScheduleType trigger = ScheduleType.valueOf(r.getString(1));
                    Instant created = Rows.instant(r, 2);
                    return campaigns.find(r.getUUID(0)).flatMap(c -> definitions.compile(c.input()).flatMap(plan -> {
                        CampaignInput.Target t = c.schedule().entering();
                        Uni<SegmentEntries.Bucket> entering = trigger != ScheduleType.ENTRY ? Uni.createFrom().nullItem()
                                : entries.bucket(t.segment(), t.bucket()).onItem().ifNull().failWith(() ->
                                        new IllegalStateException("the entry trigger's segment no longer exists"));
                        return entering.map(b -> new Work(runId, lease, c, trigger, created, plan, caps.of(c.input()), b));
                    }));
                });
    }

    Uni<Outcome> step(Work w) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT status, owner,"
                + " entries_until FROM campaign_run WHERE id = ?1 FOR NO KEY UPDATE", Object[].class).setParameter(1, w.runId())
                .getSingleResult().flatMap(run -> {
                    if (!w.lease().owner().equals(run[1])) {
                        return Uni.createFrom().item(Outcome.IDLE);
                    }
                    return switch ((String) run[0]) {
                        case "MATERIALISING" -> w.lease().renew(w.runId()).flatMap(v -> materialise(s, w));
                        case "SENDING" -> w.lease().renew(w.runId()).flatMap(v -> send(s, w, Rows.instant(run[2])));
                        default -> Uni.createFrom().item(Outcome.IDLE);
                    };
                })));
    }

    private Uni<Outcome> materialise(Mutiny.Session s, Work w) {
        return s.createNativeQuery(CampaignRunSql.materialise(w.plan(), w.campaign().salt()), Long.class)
                .setParameter(1, w.runId()).setParameter(2, w.createdAt()).getSingleResult()
                // sending starts when the audience is in (now() would be the transaction's start, before it)
                .call(n -> s.createNativeQuery("UPDATE campaign_run SET status = 'SENDING', audience_size = (SELECT"
                        + " coalesce(sum(n), 0) FROM campaign_run_count WHERE run_id = ?1), started_at = clock_timestamp()"
                        + " WHERE id = ?1")
                        .setParameter(1, w.runId()).executeUpdate())
                .call(n -> outbox.enqueue(List.of(CampaignStarter.started(w.campaign().id(), w.runId(),
                        w.trigger().name(), n.longValue()))))
                .invoke(n -> LOG.infof("Campaign run %s materialised %d recipients", w.runId(), n))
                .replaceWith(Outcome.MORE);
    }

    /**
     * Entries taken are sent from the next step on, once this one has committed them (the batches run on connections
     * of their own); otherwise, unless an outranking run is starting ({@link #outranked}), the next pending batches,
     * or the due deferred ones, or the run is waiting or done.
     */
    private Uni<Outcome> send(Mutiny.Session s, Work w, Instant entriesUntil) {
        Uni<Long> taken = w.trigger() != ScheduleType.ENTRY ? Uni.createFrom().item(0L) : intake(s, w, entriesUntil);
        return taken.flatMap(took -> took > 0 ? Uni.createFrom().item(Outcome.MORE) : outranked(s, w)
                .flatMap(waits -> waits ? Uni.createFrom().item(Outcome.IDLE) : decide(s, w)));
    }

    /**
     * Whether this run's decisions wait: under caps, a campaign that outranks this one on the channel and is due to
     * start or still materialising its run would hold reservations not yet written, so deciding now would let the run
     * the runner happened to take first win. Read in this step, before its batches (later statements) read the
     * reservations; the run is looked at again next poll.
     */
    private Uni<Boolean> outranked(Mutiny.Session s, Work w) {
        if (w.caps().isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return s.createNativeQuery(CampaignRules.outrankedAndStarting(w.campaign().channel(), w.campaign().id(),
                CampaignRunSql.priority(w.plan().input())), Boolean.class).getSingleResult()
                .invoke(waits -> {
                    if (waits) {
                        LOG.debugf("Run %s waits for an outranking campaign's run to start", w.runId());
                    }
                });
    }

    /** The next pending batches, or the due deferred ones, or the run is waiting or done. */
    private Uni<Outcome> decide(Mutiny.Session s, Work w) {
        return decisions.pending(s, w)
                .flatMap(pending -> pending > 0 ? Uni.createFrom().item(Outcome.MORE)
                        : decisions.due(w).flatMap(due -> due > 0 ? Uni.createFrom().item(Outcome.MORE)
                                : w.trigger() == ScheduleType.ENTRY ? Uni.createFrom().item(Outcome.IDLE)
                                : s.createNativeQuery("SELECT EXISTS (SELECT 1 FROM campaign_recipient WHERE run_id = ?1"
                                        + " AND outcome = 'DEFERRED')", Boolean.class).setParameter(1, w.runId())
                                        .getSingleResult()
                                        .flatMap(waiting -> waiting ? Uni.createFrom().item(Outcome.IDLE) : complete(s, w))));
    }

    /**
     * Takes the entries recorded since the last intake (re-reading an overlap, the key keeps each entry once); how
     * many it took.
     */
    private Uni<Long> intake(Mutiny.Session s, Work w, Instant entriesUntil) {
        Instant after = entriesUntil.minus(config.entryOverlap());
        return s.createNativeQuery(CampaignRunSql.intake(w.plan(), w.campaign().salt(), w.entering()), Object[].class)
                .setParameter(1, w.runId()).setParameter(2, after).setParameter(3, w.createdAt()).getSingleResult()
                .invoke(r -> LOG.debugf("Run %s took %s entries after %s, up to %s", w.runId(), r[1], after, r[0]))
                .call(r -> r[0] == null || !Rows.instant(r[0]).isAfter(entriesUntil) ? Uni.createFrom().voidItem()
                        : s.createNativeQuery("UPDATE campaign_run SET entries_until = ?2 WHERE id = ?1")
                                .setParameter(1, w.runId()).setParameter(2, Rows.instant(r[0])).executeUpdate()
                                .replaceWithVoid())
                .map(r -> ((Number) r[1]).longValue());
    }

    /** Completes the run: a recurring campaign is scheduled for its next fire, any other one completes. */
    private Uni<Outcome> complete(Mutiny.Session s, Work w) {
        CampaignInput.Schedule schedule = w.campaign().schedule();
        Instant next = schedule.type() != ScheduleType.CRON ? null : crons.next(schedule.cron(),
                ZoneId.of(schedule.timeZone() == null ? "UTC" : schedule.timeZone()), clock.instant()).orElse(null);
        return s.createNativeQuery("UPDATE campaign_run SET status = 'COMPLETED', finished_at = now() WHERE id = ?1")
                .setParameter(1, w.runId()).executeUpdate()
                .call(n -> s.createNativeQuery("UPDATE campaign SET status = ?2, next_run_at = ?3, updated_at = now(),"
                        + " version = version + 1 WHERE id = ?1 AND status = 'RUNNING'").setParameter(1, w.campaign().id())
                        .setParameter(2, next == null ? "COMPLETED" : "SCHEDULED").setParameter(3, next).executeUpdate())
                .call(n -> s.createNativeQuery("SELECT outcome, sum(n) FROM campaign_run_count WHERE run_id = ?1"
                        + " GROUP BY outcome HAVING sum(n) <> 0", Object[].class).setParameter(1, w.runId()).getResultList()
                        .flatMap(rows -> {
                            Map<String, Object> counts = new LinkedHashMap<>();
                            rows.forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
                            Map<String, Object> data = new LinkedHashMap<>();
                            data.put("campaignId", w.campaign().id());
                            data.put("runId", w.runId());
                            data.put("outcomes", counts);
                            return outbox.enqueue(List.of(new Outbox.Event(EventTypes.CAMPAIGN_RUN_COMPLETED, null, data)));
                        }))
                .invoke(n -> LOG.infof("Campaign run %s completed", w.runId()))
                .replaceWith(Outcome.IDLE);
    }

    /** A run that cannot go on (its audience no longer compiles, a step fails) fails; its campaign is paused. */
    Uni<Void> fail(UUID runId, Throwable e) {
        LOG.errorf(e, "Campaign run %s failed", runId);
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        String error = why.length() <= 1000 ? why : why.substring(0, 999) + "…";
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE campaign_run"
                + " SET status = 'FAILED', error = ?2, finished_at = now() WHERE id = ?1"
                + " AND status IN ('MATERIALISING', 'SENDING') RETURNING campaign_id", UUID.class)
                .setParameter(1, runId).setParameter(2, error).getResultList()
                .flatMap(failed -> failed.isEmpty() ? Uni.createFrom().voidItem()
                        : s.createNativeQuery("UPDATE campaign SET status = 'PAUSED', updated_at = now(),"
                                + " version = version + 1 WHERE id = ?1 AND status = 'RUNNING'")
                                .setParameter(1, failed.get(0)).executeUpdate().replaceWithVoid())));
    }
}
