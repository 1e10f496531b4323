package io.headlesscrm.lead;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Lead rules' matcher: how often it looks for events and deadlines, and how much it takes at once. */
@ConfigMapping(prefix = "crm.leads")
public interface LeadsConfig {

    /** Whether this instance runs the matcher (events, and deadlines by the wall clock). */
    @WithDefault("true")
    boolean workersEnabled();

    /** How long the matcher waits, when it found nothing, before it looks again: bounds how late a deadline fires. */
    @WithDefault("100ms")
    Duration pollEvery();

    /** How long one run of the matcher goes on between scheduler ticks (see WorkLoop). */
    @WithDefault("950ms")
    Duration maxRun();

    /**
     * Matcher steps this instance runs at once, each its own transaction on its own customers (as campaigns run their
     * parallel batches).
     */
    @WithDefault("2")
    int parallelSteps();

    /** Customers whose queued events and due deadlines one transaction works. */
    @WithDefault("1000")
    int batchCustomers();

    /**
     * How often open leads past their expiresAt are closed as EXPIRED (bounds how late a lead expires). Read by
     * LeadExpiry's {@code @Scheduled} expression; declared here so its default is stated once.
     */
    @WithDefault("10s")
    Duration expirySweepEvery();

    /**
     * How often each instance looks for pull rules whose schedule has fired (bounds how late a pull starts). Read
     * by LeadPulls' {@code @Scheduled} expression; declared here so its default is stated once.
     */
    @WithDefault("5s")
    Duration pullPollEvery();
}
