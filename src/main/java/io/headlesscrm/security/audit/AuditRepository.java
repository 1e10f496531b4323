package io.headlesscrm.security.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.headlesscrm.common.Retention;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the audit log newest first, as a keyset over (occurred_at, id). There is deliberately no write here. */
@ApplicationScoped
public class AuditRepository {

    @Inject
    Pool pool;

    /** Newest first. */
    static final Keyset KEYSET = new Keyset("-occurredAt", KeyType.INSTANT, "occurred_at", "id", true);

    Uni<List<AuditEntry>> page(AuditFilter filter, Cursor after, int limit) {
        KeysetQuery q = KeysetQuery.sql("SELECT " + AuditEntry.COLUMNS + " FROM audit_log")
                .whereIf(filter.entity(), "entity = ?").whereIf(filter.entityId(), "entity_id = ?")
                .whereIf(filter.actorId(), "actor_id = ?").whereIf(filter.action(), "action = ?")
                .whereIf(filter.from(), "occurred_at >= ?").whereIf(filter.to(), "occurred_at < ?")
                .page(KEYSET, after, limit);
        return pool.preparedQuery(q.query()).execute(Tuple.from(q.positional()))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    rows.forEach(r -> entries.add(AuditEntry.of(r)));
                    return entries;
                });
    }

    /**
     * Audit entries older than {@code crm.audit.retention} are purged (none by default: the law and the books decide
     * how long they are kept, so a deployer sets it).
     */
    @Produces
    @Singleton
    static Retention retention(AuditConfig config) {
        return new Retention("audit_log", "occurred_at", config.retention());
    }
}
