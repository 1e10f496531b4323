package io.headlesscrm.segment;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How segment membership is kept up to date. */
@ConfigMapping(prefix = "crm.segments")
public interface SegmentsConfig {

    /** How often each instance looks for customers to re-evaluate and recomputes to advance. */
    @WithDefault("200ms")
    Duration upkeepEvery();

    /** Customers re-evaluated together after writes touched them. */
    @WithDefault("1000")
    int dirtyBatch();

    /** Staged differences applied per step of a full recompute (one transaction each, resumable). */
    @WithDefault("5000")
    int refreshChunk();

    /** How often segments whose conditions read the time are recomputed in full. */
    @WithDefault("1h")
    Duration timeRefresh();

    /**
     * How long one upkeep run keeps taking work (looking again every upkeep-every when idle); under the scheduler's
     * one-second period, so the next run starts at once and no event waits for a skipped tick.
     */
    @WithDefault("950ms")
    Duration maxRun();

    /** Thresholds of the built-in lifecycle dimension, used when it is first created (then edit it). */
    Lifecycle lifecycle();

    /** The built-in value dimension: spend over a window, from a purchase event's amount property. */
    Value value();

    interface Lifecycle {
        /** new: registered (or, without registeredAt, created) less than this ago. */
        @WithDefault("P30D")
        String newWithin();

        /** active: lastActiveAt less than this ago. */
        @WithDefault("P30D")
        String activeWithin();

        /** churned: nothing for this long (silent: the rest). */
        @WithDefault("P180D")
        String churnedAfter();
    }

    interface Value {
        @WithDefault("order.paid")
        String purchaseEvent();

        /** A NUMBER property of the purchase event, declared when the dimension is created. */
        @WithDefault("amount")
        String amountProperty();

        @WithDefault("P365D")
        String window();

        @WithDefault("10000")
        java.math.BigDecimal high();

        @WithDefault("1000")
        java.math.BigDecimal mid();
    }
}
