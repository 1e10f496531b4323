package io.headlesscrm.event;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.common.Http;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/customers/{id}/events")
@Tag(name = "Events")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerEventResource {

    @Inject
    EventTimeline timeline;
    @Inject
    PageConfig paging;

    @GET
    @PermissionsAllowed(Permissions.EVENTS_READ)
    @Operation(operationId = "listCustomerEvents", summary = "A customer's events, newest first")
    @APIResponse(responseCode = "200", description = "A page of the customer's timeline")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    public Uni<Page<EventView>> list(@PathParam("id") UUID id,
            @Parameter(description = "Only these event types (repeat the parameter for several)")
            @QueryParam("type") List<String> types,
            @Parameter(description = "Occurred at or after (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Occurred before (ISO-8601)") @QueryParam("to") String to,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        EventTimeline.Filter filter = new EventTimeline.Filter(types == null ? List.of() : types,
                Http.instantParam(from, "from"), Http.instantParam(to, "to"));
        return timeline.page(id, filter, EventTimeline.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }
}
