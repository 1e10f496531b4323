package io.headlesscrm.tag;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tags: their cache, their background jobs, and the sweep of expired assignments. */
@ConfigMapping(prefix = "crm.tags")
public interface TagsConfig {

    /** The cache of customers' tag sets. */
    Cache cache();

    /** Background tag jobs (bulk assign and remove over a filter). */
    Jobs jobs();

    /**
     * How often expired assignments are deleted (reads never show them meanwhile). Read by ExpiredTagSweep's
     * {@code @Scheduled} expression; declared here so its default is stated once.
     */
    @WithDefault("1m")
    Duration expirySweepEvery();

    /** The cache of customers' tag sets. */
    interface Cache {

        /** Serve customers' tag sets from Redis; false: always from PostgreSQL. */
        @WithDefault("true")
        boolean enabled();

        /** How long a cached tag set lives at most (changes invalidate it at once anyway). */
        @WithDefault("10m")
        Duration ttl();

        /** How many tag sets an instance keeps in memory in front of Redis (checked against Redis on every read). */
        @WithDefault("10000")
        long memoryEntries();

        /** How long a lookup waits for Redis before it reads PostgreSQL instead. */
        @WithDefault("200ms")
        Duration timeout();
    }

    /** Background tag jobs. */
    interface Jobs {

        /** Customers a job changes per transaction. */
        @WithDefault("500")
        int batchSize();

        /**
         * How often an idle instance looks for a queued job. Read by TagJobWorker's {@code @Scheduled} expression;
         * declared here so its default is stated once.
         */
        @WithDefault("1s")
        Duration pollEvery();

        /** How long a running job stays with an instance that stopped renewing it before another resumes it. */
        @WithDefault("60s")
        Duration lease();
    }
}
