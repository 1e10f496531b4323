package io.headlesscrm.property;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.vertx.mutiny.sqlclient.Row;

/** A declared property. */
@Schema(name = "Property")
public record PropertyView(@Schema(required = true) UUID id, @Schema(required = true) PropertyScope scope,
        @Schema(description = "EVENT: the event type; absent: every type") String eventType,
        @Schema(required = true) String name, @Schema(required = true) PropertyType type,
        @Schema(description = "ENUM: the allowed values") List<String> values, String description,
        @Schema(required = true) Instant createdAt) {

    static final String COLUMNS = "id, scope, event_type, name, type, enum_values, description, created_at";

    static PropertyView of(Row r) {
        String[] values = r.getArrayOfStrings("enum_values");
        String eventType = r.getString("event_type");
        return new PropertyView(r.getUUID("id"), PropertyScope.valueOf(r.getString("scope")),
                eventType.isEmpty() ? null : eventType, r.getString("name"), PropertyType.valueOf(r.getString("type")),
                values == null ? null : Arrays.asList(values), r.getString("description"),
                r.getOffsetDateTime("created_at").toInstant());
    }
}
