package io.headlesscrm.campaign;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.campaign.CampaignRunStep.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Works campaign runs, on every instance. Each poll starts the campaigns that are due, then claims open runs one
 * at a time (the least recently worked first, {@code SKIP LOCKED}) under a lease and steps each until it has
 * nothing to do now. A step is one transaction under the run's row lock; the lease is renewed in it. So a run whose
 * instance dies is resumed by another once the lease lapses, from what has committed: a step is done entirely or
 * not at all. A run with nothing due (deferred recipients, an entry trigger waiting) is looked at again next poll.
 * Which run is claimed first decides nothing between campaigns: under caps, priority does (a run waits while one
 * that outranks it starts, see {@link CampaignRunStep}).
 */
@ApplicationScoped
public class CampaignRunner {

    private static final Logger LOG = Logger.getLogger(CampaignRunner.class);
    private static final String CLAIM = "UPDATE campaign_run SET owner = ?1, lease_until = now() + make_interval(secs => ?2)"
            + " WHERE id = (SELECT id FROM campaign_run WHERE status IN ('MATERIALISING', 'SENDING')"
            + " AND (lease_until IS NULL OR lease_until < now()) ORDER BY lease_until NULLS FIRST, created_at LIMIT 1"
            + " FOR UPDATE SKIP LOCKED) RETURNING id";
    // an idle run is not claimed again before the next poll, so one poll looks at every open run once
    private static final String RELEASE = "UPDATE campaign_run SET lease_until = now() + make_interval(secs => ?3)"
            + " WHERE id = ?1 AND owner = ?2";

    /** Which instance holds a run's lease. */
    final String owner = UUID.randomUUID().toString();

    @Inject
    CampaignsConfig config;
    @Inject
    CampaignStarter starter;
    @Inject
    CampaignRunStep steps;

    /** The poll's job identity, for whoever needs to hold it a moment (a test starting two campaigns together). */
    static final String JOB = "campaign-runs";

    @Scheduled(identity = JOB, every = "${crm.campaigns.poll-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        Instant until = Instant.now().plus(config.pollEvery().multipliedBy(5));
        return starter.startDue().flatMap(n -> Multi.createBy().repeating().uni(this::claimAndWork)
                .whilst(worked -> worked && Instant.now().isBefore(until)).collect().last()).replaceWithVoid();
    }

    /** Claims one open run and works it; false when there was none to claim. */
    Uni<Boolean> claimAndWork() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(CLAIM, UUID.class)
                .setParameter(1, owner).setParameter(2, (double) config.lease().toSeconds()).getResultList()))
                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(false)
                        : work(claimed.get(0)).replaceWith(true));
    }

    private Uni<Void> work(UUID id) {
        LOG.debugf("Working campaign run %s", id);
        return steps.prepare(id, owner).flatMap(work -> Multi.createBy().repeating().uni(() -> steps.step(work))
                .whilst(step -> step == Outcome.MORE).collect().last())
                .onFailure().call(e -> steps.fail(id, e)).onFailure().recoverWithNull()
                .call(() -> Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(RELEASE)
                        .setParameter(1, id).setParameter(2, owner)
                        .setParameter(3, (double) config.pollEvery().toMillis() / 1000).executeUpdate())))
                .replaceWithVoid();
    }
}
