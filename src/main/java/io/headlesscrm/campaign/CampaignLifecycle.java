package io.headlesscrm.campaign;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.headlesscrm.campaign.CampaignStatus.Action;
import io.headlesscrm.common.CronSchedules;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What a client asks of a campaign's lifecycle: schedule, pause, resume, cancel. Each is one audited transaction
 * that takes the campaign's open runs' row locks before the campaign's (the order a run step takes them in), so it
 * waits at most for the step in flight, and no touchpoint of a paused or cancelled campaign is created after it
 * commits. An illegal transition is a 409 naming the status.
 */
@ApplicationScoped
public class CampaignLifecycle {

    @Inject
    CampaignRepository repository;
    @Inject
    CampaignService service;
    @Inject
    CampaignDefinitions definitions;
    @Inject
    CronSchedules crons;
    @Inject
    AuditLog audit;

    public Uni<CampaignView> act(UUID id, Action action) {
        Uni<Void> checked = action == Action.SCHEDULE
                ? service.get(id).flatMap(c -> definitions.check(c.input())).replaceWithVoid() // names still resolve
                : Uni.createFrom().voidItem();
        return checked.flatMap(v -> Panache.withTransaction(() -> Panache.getSession().flatMap(s -> runs(s, id, action)
                .flatMap(reopened -> repository.lock(id).flatMap(before -> {
                    if (before == null) {
                        throw ProblemException.notFound("Campaign", id);
                    }
                    if (!before.status().allows(action)) {
                        throw ProblemException.conflict("illegal-transition", "status", "A " + before.status()
                                + " campaign cannot be asked to " + action.name().toLowerCase());
                    }
                    CampaignStatus to = target(action, reopened);
                    Instant next = to == CampaignStatus.SCHEDULED ? nextRun(before) : before.nextRunAt();
                    return repository.move(id, to, next).flatMap(x -> repository.lock(id))
                            .call(after -> audit.updated(CampaignService.ENTITY, id, Map.of("status", before.status()),
                                    Map.of("status", after.status())));
                })))));
    }

    private static CampaignStatus target(Action action, boolean reopened) {
        return switch (action) {
            case SCHEDULE -> CampaignStatus.SCHEDULED;
            case PAUSE -> CampaignStatus.PAUSED;
            case RESUME -> reopened ? CampaignStatus.RUNNING : CampaignStatus.SCHEDULED;
            case CANCEL -> CampaignStatus.CANCELLED;
        };
    }

    /**
     * The campaign's runs, first: pausing pauses the open ones, resuming reopens the paused ones (true if there was
     * one), cancelling cancels them and skips every recipient not yet decided.
     */
    private static Uni<Boolean> runs(Mutiny.Session s, UUID id, Action action) {
        return switch (action) {
            case SCHEDULE -> Uni.createFrom().item(false);
            case PAUSE -> update(s, "UPDATE campaign_run SET status = 'PAUSED' WHERE campaign_id = ?1"
                    + " AND status IN ('MATERIALISING', 'SENDING')", id).replaceWith(false);
            case RESUME -> update(s, "UPDATE campaign_run SET status = CASE WHEN audience_size IS NULL AND trigger <> 'ENTRY'"
                    + " THEN 'MATERIALISING' ELSE 'SENDING' END WHERE campaign_id = ?1 AND status = 'PAUSED'", id)
                    .map(n -> n > 0);
            case CANCEL -> update(s, "UPDATE campaign_run SET status = 'CANCELLED', finished_at = now()"
                    + " WHERE campaign_id = ?1 AND status IN ('MATERIALISING', 'SENDING', 'PAUSED')", id)
                    .call(n -> update(s, "UPDATE campaign_recipient r SET outcome = 'SKIPPED', reason = 'skipped: the"
                            + " campaign was cancelled', decided_at = now() FROM campaign_run run WHERE run.id = r.run_id"
                            + " AND run.campaign_id = ?1 AND r.outcome IN ('PENDING', 'DEFERRED')", id))
                    .replaceWith(false);
        };
    }

    private static Uni<Integer> update(Mutiny.Session s, String sql, UUID id) {
        return s.createNativeQuery(sql).setParameter(1, id).executeUpdate();
    }

    /** When a scheduled (or resumed, with no run open) campaign next runs. */
    private Instant nextRun(CampaignView c) {
        CampaignInput.Schedule schedule = c.schedule();
        Instant now = Instant.now();
        return switch (schedule.type()) {
            case NOW, ENTRY -> now;
            // a draft's time was checked to be ahead by act(); a resumed campaign whose time has passed runs now
            case AT -> schedule.at().isAfter(now) ? schedule.at() : now;
            case CRON -> crons.next(schedule.cron(), ZoneId.of(schedule.timeZone() == null ? "UTC"
                    : schedule.timeZone()), now).orElseThrow(() -> ProblemException.validation(List.of(
                            new FieldError("schedule.cron", "never fires again"))));
        };
    }
}
