package io.headlesscrm.campaign;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.campaign.CampaignStatus.Action;
import io.headlesscrm.common.Http;
import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Campaigns: definitions, their lifecycle and dry runs. Runs and decisions are at {@link CampaignRunResource}. */
@Path("/api/v1/campaigns")
@Tag(name = "Campaigns", description = "Reach an audience with content per segment or tag, under consent, caps, "
        + "quiet hours and a holdout")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    @Inject
    CampaignService service;
    @Inject
    CampaignLifecycle lifecycle;
    @Inject
    CampaignDryRun dryRuns;
    @Inject
    CampaignReports reports;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "createCampaign", summary = "Define a campaign (as a draft)", description = "The audience, "
            + "variant rules and entry trigger are compiled as segment conditions: unknown segments, buckets and tags "
            + "are refused, each error naming its field. Nothing is sent until the campaign is scheduled. With an "
            + "Idempotency-Key, repeating the same request returns the first result (header Idempotent-Replayed: "
            + "true); the same key with another body is a 422.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid (errors[] name each), or the Idempotency-Key "
            + "was used with another body")
    public Uni<Response> create(CampaignInput input,
            @Parameter(description = "Makes retries safe: the same key and body create one campaign")
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.create(input, idempotencyKey).map(c -> Response.created(URI.create("/api/v1/campaigns/"
                + c.campaign().id())).entity(c.campaign()).tag(c.campaign().etag())
                .header("Idempotent-Replayed", c.replayed() ? "true" : null).build());
    }

    @GET
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "listCampaigns", summary = "List campaigns, oldest first")
    @APIResponse(responseCode = "200", description = "A page of campaigns")
    public Uni<Page<CampaignView>> list(
            @Parameter(description = "DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED or CANCELLED") @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(Http.enumParam(CampaignStatus.class, status, "status"),
                CampaignRepository.KEYSET.fromParam(cursor, "cursor"), size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "getCampaign", summary = "Get a campaign")
    @APIResponse(responseCode = "200", description = "The campaign", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @PATCH
    @Path("{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "updateCampaign", summary = "Change a campaign", description = "A JSON Merge Patch (RFC "
            + "7396) of the definition; a list or object given replaces the old one whole. Once the campaign has "
            + "started, audience, channel, variant rules and weights, schedule and holdout are fixed (409); content, "
            + "names, priority, caps and quiet hours may still change. Send If-Match to change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The changed campaign", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "The campaign has started (the field is fixed) or finished")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch)).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @DELETE
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "deleteCampaign", summary = "Delete a draft, completed or cancelled campaign and its runs")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Scheduled, running or paused: cancel it first")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }

    @POST
    @Path("{id}/dry-run")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "dryRunCampaign", summary = "What a run started now would do, without sending",
            description = "Per variant, how many customers would be reached, held out, suppressed by consent, capped "
                    + "(per cap) or deferred by quiet hours. Nothing is written.")
    @APIResponse(responseCode = "200", description = "The counts", content = @Content(schema = @Schema(implementation = CampaignDryRun.Result.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<CampaignDryRun.Result> dryRun(@PathParam("id") UUID id) {
        return dryRuns.of(id);
    }

    @POST
    @Path("{id}/schedule")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "scheduleCampaign", summary = "Schedule a draft: it runs now, at its time, on its cron "
            + "expression, or on each audience entry")
    @APIResponse(responseCode = "200", description = "Scheduled", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Not a draft")
    @APIResponse(responseCode = "422", description = "Its time has passed, or what it names no longer exists")
    public Uni<Response> schedule(@PathParam("id") UUID id) {
        return act(id, Action.SCHEDULE);
    }

    @POST
    @Path("{id}/pause")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "pauseCampaign", summary = "Pause a scheduled or running campaign",
            description = "No touchpoint is created after the response; the batch in flight, if any, commits first.")
    @APIResponse(responseCode = "200", description = "Paused", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Neither scheduled nor running")
    public Uni<Response> pause(@PathParam("id") UUID id) {
        return act(id, Action.PAUSE);
    }

    @POST
    @Path("{id}/resume")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "resumeCampaign", summary = "Resume a paused campaign where it stopped")
    @APIResponse(responseCode = "200", description = "Running (or scheduled, if no run had begun)",
            content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Not paused")
    public Uni<Response> resume(@PathParam("id") UUID id) {
        return act(id, Action.RESUME);
    }

    @POST
    @Path("{id}/cancel")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "cancelCampaign", summary = "Cancel a campaign: what was sent stays, nothing more is sent",
            description = "Recipients not yet decided are recorded as SKIPPED.")
    @APIResponse(responseCode = "200", description = "Cancelled", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Already completed or cancelled")
    public Uni<Response> cancel(@PathParam("id") UUID id) {
        return act(id, Action.CANCEL);
    }

    @GET
    @Path("{id}/report")
    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Operation(operationId = "getCampaignReport", summary = "What a run reached and converted, per variant, against "
            + "the holdout, and the daily conversion trend after the send", description = "Read from counts kept up "
            + "to date as touchpoints are reported on and goal events arrive. Each rate has a 95 % confidence "
            + "interval; uplift is the rate minus the holdout's.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(schema = @Schema(implementation = CampaignReports.Report.class)))
    @APIResponse(responseCode = "404", description = "No such campaign, or it has not run")
    @APIResponse(responseCode = "422", description = "days is out of range")
    public Uni<CampaignReports.Report> report(@PathParam("id") UUID id,
            @Parameter(description = "A run id (default: the latest run)") @QueryParam("run") UUID run,
            @Parameter(description = "Days of trend after the send, 1 to 90 (default 7)") @QueryParam("days") String days) {
        Integer n = Http.intParam(days, "days");
        return reports.of(id, run, n == null ? 7 : n);
    }

    @POST
    @Path("{id}/report/recompute")
    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Operation(operationId = "recomputeCampaignReport", summary = "Count every run's conversions again under the "
            + "current goal", description = "After the conversion goal changed: conversions are cleared and the "
            + "recipients' events within the window are attributed again in the background; the report fills up "
            + "again within seconds.")
    @APIResponse(responseCode = "202", description = "Recounting")
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<Response> recompute(@PathParam("id") UUID id) {
        return reports.recompute(id).map(v -> Response.accepted().location(URI.create("/api/v1/campaigns/" + id
                + "/report")).build());
    }

    private Uni<Response> act(UUID id, Action action) {
        return lifecycle.act(id, action).map(v -> Response.ok(v).tag(v.etag()).build());
    }
}
