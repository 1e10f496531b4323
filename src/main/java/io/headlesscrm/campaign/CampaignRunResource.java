package io.headlesscrm.campaign;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** A campaign's runs: their progress, and for any customer what a run decided and why. */
@Path("/api/v1/campaigns/{id}/runs")
@Tag(name = "Campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignRunResource {

    @Inject
    CampaignService campaigns;
    @Inject
    CampaignRuns runs;
    @Inject
    PageConfig paging;

    @GET
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "listCampaignRuns", summary = "A campaign's runs, newest first, with their progress")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<Page<CampaignRuns.RunView>> list(@PathParam("id") UUID id,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        var after = CampaignRuns.KEYSET.fromParam(cursor, "cursor");
        return campaigns.get(id).flatMap(c -> runs.list(id, after, size)).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{runId}")
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "getCampaignRun", summary = "A run and its progress: recipients per outcome and variant, "
            + "counted live")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(schema = @Schema(implementation = CampaignRuns.RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run of this campaign")
    public Uni<CampaignRuns.RunView> get(@PathParam("id") UUID id, @PathParam("runId") UUID runId) {
        return runs.get(id, runId);
    }

    @GET
    @Path("{runId}/recipients/{customerId}")
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "explainCampaignDecision", summary = "Why a run reached a customer with a variant, or why "
            + "not", description = "NOT_IN_AUDIENCE, HELD_OUT, NO_VARIANT, SUPPRESSED (opted out, no contact), CAPPED "
            + "(which cap), DEFERRED (quiet hours, until when), REACHED (the variant and touchpoint), PENDING or "
            + "SKIPPED (cancelled).")
    @APIResponse(responseCode = "200", description = "The decision", content = @Content(schema = @Schema(implementation = CampaignRuns.Decision.class)))
    @APIResponse(responseCode = "404", description = "No such run of this campaign, or no such customer")
    public Uni<CampaignRuns.Decision> explain(@PathParam("id") UUID id, @PathParam("runId") UUID runId,
            @PathParam("customerId") UUID customerId) {
        return runs.explain(id, runId, customerId);
    }
}
