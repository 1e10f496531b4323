package io.headlesscrm.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** A stored event, as the timeline shows it. */
@Schema(name = "Event")
@Type("Event")
@Description("Something a customer did, as a product reported it")
public record EventView(
        @Schema(required = true, description = "The service's id of the event") @Id @NonNull UUID id,
        @Schema(required = true, description = "The client's id of the event") @NonNull String eventId,
        @Schema(required = true) @NonNull String type,
        @Schema(required = true) @Id @NonNull UUID customerId,
        @Schema(required = true) @NonNull Instant occurredAt,
        @Schema(required = true) @NonNull Instant receivedAt,
        // GraphQL exposes these three through JSON-scalar resolvers in EventGraphQL
        @Schema(required = true) @Ignore Map<String, Object> properties,
        @Ignore List<Object> items,
        @Ignore Map<String, Object> context) {

    static final String COLUMNS = "id, event_id, type, customer_id, occurred_at, received_at, properties, items, context";

    static EventView of(Row r) {
        JsonArray items = (JsonArray) r.getValue("items");
        JsonObject context = (JsonObject) r.getValue("context");
        return new EventView(r.getUUID("id"), r.getString("event_id"), r.getString("type"), r.getUUID("customer_id"),
                r.getOffsetDateTime("occurred_at").toInstant(), r.getOffsetDateTime("received_at").toInstant(),
                ((JsonObject) r.getValue("properties")).getMap(), items == null ? null : items.getList(),
                context == null ? null : context.getMap());
    }
}
