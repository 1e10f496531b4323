package io.headlesscrm.security.audit;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The audit log's settings. */
@ConfigMapping(prefix = "crm.audit")
public interface AuditConfig {

    /**
     * Audit entries older than this are purged; none by default: the law and the books decide how long they are kept,
     * so a deployer sets it.
     */
    Optional<Duration> retention();
}
