package io.headlesscrm.dataio;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** A subject access request: everything held about one customer, as one JSON document. */
@Path("/api/v1/customers/{id}/export")
@Tag(name = "Privacy", description = "Subject access, erasure and the suppression list (GDPR, PIPL)")
@Produces(MediaType.APPLICATION_JSON)
public class SubjectAccessResource {

    @Inject
    SubjectAccessService service;

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_ERASE)
    @Operation(operationId = "exportCustomerData", summary = "Everything held about a customer",
            description = "The profile, attributes, tags, consents, events, touchpoints, webhook messages about them, "
                    + "audit entries, leads, segment and campaign history, in one document, contact details unmasked. "
                    + "Needs customers:erase (admins).")
    @APIResponse(responseCode = "200", description = "The document")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "410", description = "The customer was erased")
    public Uni<SubjectAccessService.Report> export(@PathParam("id") UUID id) {
        return service.report(id);
    }
}
