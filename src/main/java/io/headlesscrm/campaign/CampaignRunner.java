package io.headlesscrm.campaign;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.campaign.CampaignRunStep.Outcome;
import io.headlesscrm.common.work.JobLease;
import io.headlesscrm.common.work.WorkLoop;
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
    /** Open runs no instance holds, the least recently worked first (a run is released until the next poll). */
    private static final String TAKEABLE = "status IN ('MATERIALISING', 'SENDING')"
            + " AND (lease_until IS NULL OR lease_until < now())";

    @Inject
    CampaignsConfig config;
    @Inject
    CampaignStarter starter;
    @Inject
    CampaignRunStep steps;
    private JobLease lease;

    /** The poll's job identity, for whoever needs to hold it a moment (a test starting two campaigns together). */
    static final String JOB = "campaign-runs";

    @PostConstruct
    void init() {
        lease = new JobLease("campaign_run", "", TAKEABLE, "lease_until NULLS FIRST, created_at", config::lease);
    }

    @Scheduled(identity = JOB, every = "${crm.campaigns.poll-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return starter.startDue().flatMap(n -> WorkLoop.drain(this::claimAndWork, config.pollEvery().multipliedBy(5),
                LOG, "Campaign runner"));
    }

    /** Claims one open run and works it; false when there was none to claim. */
    Uni<Boolean> claimAndWork() {
        return lease.claim().flatMap(id -> id == null ? Uni.createFrom().item(false) : work(id).replaceWith(true));
    }

    private Uni<Void> work(UUID id) {
        LOG.debugf("Working campaign run %s", id);
        return steps.prepare(id, lease).flatMap(work -> Multi.createBy().repeating().uni(() -> steps.step(work))
                .whilst(step -> step == Outcome.MORE).collect().last())
                .onFailure().call(e -> steps.fail(id, e)).onFailure().recoverWithNull()
                // an idle run is not claimed again before the next poll, so one poll looks at every open run once
                .call(() -> lease.release(id, config.pollEvery()))
                .replaceWithVoid();
    }
}
