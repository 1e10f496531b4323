package io.headlesscrm.security.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.paging.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the audit log newest first, as a keyset over (occurred_at, id). There is deliberately no write here. */
@ApplicationScoped
public class AuditRepository {

    @Inject
    Pool pool;

    Uni<List<AuditEntry>> page(AuditFilter filter, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(AuditEntry.COLUMNS).append(" FROM audit_log WHERE true");
        condition(sql, params, "entity = $", filter.entity());
        condition(sql, params, "entity_id = $", filter.entityId());
        condition(sql, params, "actor_id = $", filter.actorId());
        condition(sql, params, "action = $", filter.action());
        condition(sql, params, "occurred_at >= $", time(filter.from()));
        condition(sql, params, "occurred_at < $", time(filter.to()));
        if (after != null) {
            params.add(time(Instant.parse(after.key())));
            params.add(after.id());
            sql.append(" AND (occurred_at, id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        }
        params.add(limit);
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    rows.forEach(r -> entries.add(AuditEntry.of(r)));
                    return entries;
                });
    }

    private static void condition(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            params.add(value);
            sql.append(" AND ").append(condition).append(params.size());
        }
    }

    private static Object time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
