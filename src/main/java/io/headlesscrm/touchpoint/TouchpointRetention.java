package io.headlesscrm.touchpoint;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.headlesscrm.common.Retention;

/**
 * Touchpoints older than {@code crm.touchpoints.retention} are purged, with their status history (none by default:
 * reaches are kept until a deployer sets one).
 */
@Dependent
class TouchpointRetention {

    @Produces
    @Singleton
    Retention touchpoints(@ConfigProperty(name = "crm.touchpoints.retention") Optional<Duration> period) {
        return new Retention("touchpoint", "created_at", period);
    }
}
