package io.headlesscrm.security.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.headlesscrm.security.Actor;
import io.vertx.mutiny.sqlclient.Row;

/** One audit row as the API shows it. */
@Schema(name = "AuditEntry", description = "Who changed what, when, and in which request")
public record AuditEntry(
        @Schema(required = true) UUID id,
        @Schema(required = true) Instant occurredAt,
        @Schema(required = true) Actor actor,
        @Schema(description = "X-Request-Id of the request that made the change") String requestId,
        @Schema(required = true, examples = "customer") String entity,
        @Schema(required = true, examples = "0193a6a2-5a4e-7b1c-9d2e-3f4a5b6c7d8e") String entityId,
        @Schema(required = true, enumeration = { "create", "update", "delete", "erase", "merge" }) String action,
        @Schema(required = true, description = "Changed fields, each with its old and new value (either absent where the field was or became absent)",
                examples = "{\"name\": {\"old\": \"Ada Lovelace\", \"new\": \"Ada King\"}}") Map<String, Object> changes) {

    static final String COLUMNS = "id, occurred_at, actor_type, actor_id, actor_name, client_id, request_id,"
            + " entity, entity_id, action, changes";

    static AuditEntry of(Row r) {
        return new AuditEntry(r.getUUID(0), Rows.instant(r, 1),
                new Actor(r.getString(2), r.getString(3), r.getString(4), r.getString(5)), r.getString(6),
                r.getString(7), r.getString(8), r.getString(9), r.getJsonObject(10).getMap());
    }
}
