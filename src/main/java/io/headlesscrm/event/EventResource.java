package io.headlesscrm.event;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/events")
@Tag(name = "Events", description = "What customers do: views, carts, orders, payments, server-side facts")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    @Inject
    EventService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.EVENTS_WRITE)
    @Operation(operationId = "createEvents", summary = "Record events (up to 1000)", description = "Each item is "
            + "checked alone: the answer lists the stored ones (duplicate: a replay of an event already stored, by "
            + "customer, occurredAt and eventId) and the rejected ones with their index and offending fields. One bad "
            + "item never loses the good ones. Accepted events move the customer's lastActiveAt forward. Events of an "
            + "anonymousId are kept apart until POST /api/v1/identify links it to a customer.")
    @APIResponse(responseCode = "200", description = "Every item stored, replayed or rejected",
            content = @Content(schema = @Schema(implementation = EventBatch.Result.class)))
    @APIResponse(responseCode = "422", description = "No items, or more than 1000")
    public Uni<EventBatch.Result> create(EventBatch.Input input) {
        if (input == null) {
            throw ProblemException.validation(java.util.List.of(new FieldError("items", "must not be null")));
        }
        return service.ingest(input.items());
    }
}
