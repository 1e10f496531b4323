package io.headlesscrm.event;

import java.io.StringReader;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;
import org.eclipse.microprofile.graphql.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@GraphQLApi
public class EventGraphQL {

    @Inject
    EventTimeline timeline;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;

    @Type("EventConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("EventEdge")
    public record Edge(@NonNull String cursor, @NonNull EventView node) {
    }

    /** Batched: the events of a whole page of customers cost one statement. */
    @PermissionsAllowed(Permissions.EVENTS_READ)
    @Description("The customer's events newest first, page by page (first/after), optionally of some types only; to "
            + "page further, refetch the customer with node(id:) and pass after")
    public Uni<List<@NonNull Connection>> events(@Source List<CustomerView> customers,
            @Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after,
            @Description("Only these event types") List<String> types) {
        return Uni.createFrom().deferred(() -> {
            int limit = paging.limit(first, "first");
            Cursor cursor = EventTimeline.KEYSET.fromParam(after, "after");
            List<UUID> ids = customers.stream().map(CustomerView::id).toList();
            return timeline.pages(ids, types == null ? List.of() : types, cursor, limit)
                    .map(pages -> ids.stream().map(id -> connection(pages.get(id), cursor)).toList());
        });
    }

    @Description("The event's properties, a JSON object")
    public @NonNull JsonObject properties(@Source EventView event) throws JsonProcessingException {
        return Json.createReader(new StringReader(mapper.writeValueAsString(event.properties()))).readObject();
    }

    @Description("The event's lines (sku, category, price, quantity…), JSON objects")
    public List<JsonObject> items(@Source EventView event) throws JsonProcessingException {
        return event.items() == null ? null
                : Json.createReader(new StringReader(mapper.writeValueAsString(event.items()))).readArray()
                        .getValuesAs(JsonObject.class);
    }

    @Description("Where the event happened (channel, device, ip, userAgent), a JSON object")
    public JsonObject context(@Source EventView event) throws JsonProcessingException {
        return event.context() == null ? null
                : Json.createReader(new StringReader(mapper.writeValueAsString(event.context()))).readObject();
    }

    private static Connection connection(Page.Slice<EventView> slice, Cursor after) {
        return Connections.of(slice, after, e -> EventTimeline.KEYSET.cursor(e.occurredAt(), e.id()), Edge::new, Connection::new);
    }
}
