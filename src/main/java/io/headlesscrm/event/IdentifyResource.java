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

import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/identify")
@Tag(name = "Events")
@Produces(MediaType.APPLICATION_JSON)
public class IdentifyResource {

    @Inject
    IdentifyService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.EVENTS_WRITE)
    @Operation(operationId = "identify", summary = "Link an anonymous visitor to a customer", description = "The events "
            + "recorded under the anonymous id become the customer's, and later ones go to the customer directly. "
            + "Given attributes are merged into the customer's (audited, sent as customer.updated). Calling it again "
            + "for the same pair is harmless; an anonymous id belongs to one customer only.")
    @APIResponse(responseCode = "200", description = "Linked",
            content = @Content(schema = @Schema(implementation = IdentifyInput.Result.class)))
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "409", description = "The anonymous id already belongs to another customer")
    @APIResponse(responseCode = "422", description = "Invalid fields or attributes")
    public Uni<IdentifyInput.Result> identify(IdentifyInput input) {
        return service.identify(input);
    }
}
