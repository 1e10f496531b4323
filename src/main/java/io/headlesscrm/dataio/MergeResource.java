package io.headlesscrm.dataio;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

/** Merging a duplicate into a customer. */
@Path("/api/v1/customers/{id}/merge")
@Tag(name = "Duplicates", description = "Likely duplicates, and merging one customer into another")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MergeResource {

    @Inject
    MergeService service;

    @POST
    @PermissionsAllowed(Permissions.CUSTOMERS_MERGE)
    @Operation(operationId = "mergeCustomer", summary = "Fold another customer into this one",
            description = "In one transaction: the profile by the stated rule, tags (the survivor's assignment wins), "
                    + "consents (an opt-out of either wins), events (one both had kept once), anonymous ids, "
                    + "touchpoints, leads and their history, segment and campaign history, and the webhook messages "
                    + "about the merged customer move to this one, which is evaluated for its segments again; the "
                    + "merged customer is deleted and its id and external id stay aliases of this one — reads, "
                    + "updates, deletes, upserts and events through them reach this customer. Audited on both ids and "
                    + "sent as customer.merged. With dryRun the answer shows the result and what would move, and "
                    + "nothing changes. Needs customers:merge.")
    @APIResponse(responseCode = "200", description = "Merged (or, with dryRun, what the merge would do)")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "410", description = "This customer, or the one to merge, was erased")
    @APIResponse(responseCode = "422", description = "No mergeId, the customer itself (or merged into it already),"
            + " or no customer has it")
    public Uni<MergeService.Result> merge(@PathParam("id") UUID id, MergeService.Input input) {
        return service.merge(id, input);
    }
}
