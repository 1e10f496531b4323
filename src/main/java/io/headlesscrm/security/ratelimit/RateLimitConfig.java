package io.headlesscrm.security.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** A token bucket per API key or token subject: {@code burst} requests at once, refilled at {@code perSecond}. */
@ConfigMapping(prefix = "crm.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** Bucket size: how many requests a client may make at once after being idle. */
    @WithDefault("200")
    int burst();

    /** Sustained requests per second (fractions allowed, e.g. 0.5). */
    @WithDefault("100")
    double perSecond();
}
