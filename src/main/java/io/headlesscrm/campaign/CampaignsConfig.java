package io.headlesscrm.campaign;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Campaign runs: how they are worked through, and the frequency caps every campaign obeys. */
@ConfigMapping(prefix = "crm.campaigns")
public interface CampaignsConfig {

    /** Whether this instance runs campaign workers (starting runs, working them, attributing conversions). */
    @WithDefault("true")
    boolean workersEnabled();

    /** How often each instance looks for due campaigns and open runs. */
    @WithDefault("1s")
    Duration pollEvery();

    /**
     * Recipients decided (and touchpoints created) per transaction: one statement each, 0.1–0.3 s for 3000 at 1M
     * customers; a pause waits for the batches in flight.
     */
    @WithDefault("3000")
    int batchSize();

    /**
     * Batches of a run decided and sent at once, each in its own transaction on its own connection, over disjoint
     * ranges of recipients: a run's statements use one core each, so two keep both of a 2-core machine's busy.
     */
    @WithDefault("2")
    int parallelBatches();

    /** How long an instance holds a run without renewing; a run whose instance died is resumed after it lapses. */
    @WithDefault("30s")
    Duration lease();

    /**
     * Global frequency caps, each "max/window" (an ISO-8601 duration): at most max campaign touchpoints per customer
     * on a channel per window, across all campaigns, for example "3/P1D,10/P7D". None by default.
     */
    Optional<List<String>> caps();

    /** How far back an entry-triggered run re-reads segment entries, for changes committed late (the key dedupes). */
    @WithDefault("5m")
    Duration entryOverlap();
}
