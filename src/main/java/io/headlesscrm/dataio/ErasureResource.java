package io.headlesscrm.dataio;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
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

/** Erasure of one customer (the right to be forgotten). */
@Path("/api/v1/customers/{id}/erase")
@Tag(name = "Privacy")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    @Inject
    ErasureService service;

    @POST
    @PermissionsAllowed(Permissions.CUSTOMERS_ERASE)
    @Operation(operationId = "eraseCustomer", summary = "Erase a customer for good",
            description = "In one transaction: the profile and contact data, events, touchpoints and their content, "
                    + "tags, consents, leads, segment memberships, the webhook messages about them and their delivery "
                    + "log, the changes recorded in their audit entries and their tag-cache entries go; segment and "
                    + "campaign history is kept under an id no one can link to them; finished export files are "
                    + "withdrawn. A tombstone keeps the counts, the audit log who erased whom; a salted hash of their "
                    + "email, phone and external id goes on the suppression list, so no import or upsert brings them "
                    + "back until an admin lifts it; webhook endpoints get customer.erased. Needs customers:erase.")
    @APIResponse(responseCode = "200", description = "Erased: the tombstone's counts")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "410", description = "The customer was already erased")
    public Uni<ErasureService.Erasure> erase(@PathParam("id") UUID id) {
        return service.erase(id);
    }
}
