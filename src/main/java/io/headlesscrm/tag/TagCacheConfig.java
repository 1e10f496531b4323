package io.headlesscrm.tag;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "crm.tags.cache")
public interface TagCacheConfig {

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
