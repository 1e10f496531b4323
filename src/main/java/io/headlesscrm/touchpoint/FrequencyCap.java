package io.headlesscrm.touchpoint;

import java.time.Duration;

/**
 * At most {@code max} automated touchpoints (from campaigns and lead rules, not suppressed) per customer on a channel
 * within {@code window}, and whose cap it is (a campaign's own, or the service's global one): see
 * {@link TouchpointSql#automatedReachesAtLeast}.
 */
public record FrequencyCap(int max, Duration window, String scope) {

    /** Why a touchpoint was held back by this cap, in words. */
    public String reason() {
        return "capped: at most " + max + " per " + window + " on the channel (" + scope + " cap)";
    }
}
