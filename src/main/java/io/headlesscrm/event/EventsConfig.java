package io.headlesscrm.event;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "crm.events")
public interface EventsConfig {

    /** How long events are kept: older ones are refused, and monthly partitions wholly older are dropped. */
    @WithDefault("400d")
    Duration retention();

    /** How many months of partitions exist ahead of the current one. */
    @WithDefault("2")
    int partitionsAhead();

    /** How far in the future an event's occurredAt may lie (clock skew of the reporting devices). */
    @WithDefault("1d")
    Duration maxFutureSkew();

    /** The most bytes an event's properties, items and context may take together, as JSON. */
    @WithDefault("16384")
    int maxEventBytes();
}
