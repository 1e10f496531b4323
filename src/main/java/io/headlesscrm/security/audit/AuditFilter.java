package io.headlesscrm.security.audit;

import java.time.Instant;

/** Narrows an audit listing; null fields do not filter. */
public record AuditFilter(String entity, String entityId, String actorId, String action, Instant from, Instant to) {
}
