package io.headlesscrm.touchpoint;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Touchpoints' settings. */
@ConfigMapping(prefix = "crm.touchpoints")
public interface TouchpointsConfig {

    /**
     * Touchpoints older than this are purged, with their status history; none by default: reaches are kept until a
     * deployer sets one.
     */
    Optional<Duration> retention();
}
