package io.headlesscrm.security.audit;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.headlesscrm.common.Retention;

/**
 * Audit entries older than {@code crm.audit.retention} are purged (none by default: the law and the books decide how
 * long they are kept, so a deployer sets it).
 */
@Dependent
class AuditRetention {

    @Produces
    @Singleton
    Retention auditLog(@ConfigProperty(name = "crm.audit.retention") Optional<Duration> period) {
        return new Retention("audit_log", "occurred_at", period);
    }
}
