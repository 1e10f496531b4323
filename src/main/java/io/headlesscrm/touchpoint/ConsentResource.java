package io.headlesscrm.touchpoint;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.common.Http;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/customers/{id}/consents")
@Tag(name = "Touchpoints")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    @Inject
    ConsentService service;

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Operation(operationId = "listCustomerConsents", summary = "A customer's consent per channel", description = "Channels without a record: not opted out")
    @APIResponse(responseCode = "200", description = "The consents recorded")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    public Uni<List<Consent.View>> list(@PathParam("id") UUID id) {
        return service.list(id);
    }

    @PUT
    @Path("{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_UPDATE)
    @Operation(operationId = "setCustomerConsent", summary = "Record a customer's consent on a channel", description = "Touchpoints on a channel the "
            + "customer opted out of are created as SUPPRESSED and sent to no one")
    @APIResponse(responseCode = "200", description = "Recorded")
    @APIResponse(responseCode = "400", description = "Unknown channel")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "422", description = "Invalid status")
    public Uni<Consent.View> set(@PathParam("id") UUID id, @PathParam("channel") String channel, Consent.Input input) {
        return service.set(id, Http.enumParam(Channel.class, channel, "channel"), input);
    }
}
