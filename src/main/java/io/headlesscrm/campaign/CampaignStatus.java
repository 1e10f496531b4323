package io.headlesscrm.campaign;

import java.util.Map;
import java.util.Set;

/**
 * A campaign's lifecycle: DRAFT → SCHEDULED → RUNNING → COMPLETED (a recurring campaign goes back to SCHEDULED
 * after each run; one triggered by audience entry stays RUNNING), PAUSED from SCHEDULED or RUNNING and back, or
 * CANCELLED from anything not finished. The API asks for schedule, pause, resume and cancel; the workers do the rest.
 */
public enum CampaignStatus {
    DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED;

    /** What a client may ask for, by where the campaign is. */
    public enum Action {
        SCHEDULE, PAUSE, RESUME, CANCEL
    }

    private static final Map<Action, Set<CampaignStatus>> FROM = Map.of(
            Action.SCHEDULE, Set.of(DRAFT),
            Action.PAUSE, Set.of(SCHEDULED, RUNNING),
            Action.RESUME, Set.of(PAUSED),
            Action.CANCEL, Set.of(DRAFT, SCHEDULED, RUNNING, PAUSED));

    boolean allows(Action action) {
        return FROM.get(action).contains(this);
    }

    boolean finished() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** Whether the audience, channel, variant rules, schedule and holdout may still change (no run has begun). */
    boolean editable() {
        return this == DRAFT || this == SCHEDULED;
    }
}
