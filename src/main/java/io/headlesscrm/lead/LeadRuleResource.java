package io.headlesscrm.lead;

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

import io.headlesscrm.common.Http;
import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Lead rules: real-time rules and behaviour sequences that make leads from events. */
@Path("/api/v1/lead-rules")
@Tag(name = "Lead rules", description = "Real-time rules and behaviour sequences that turn events into leads")
@Produces(MediaType.APPLICATION_JSON)
public class LeadRuleResource {

    @Inject
    LeadRuleService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "createLeadRule", summary = "Define a lead rule", description = "Steps name known event "
            + "types (a property is declared for them) and declared properties; the customer condition is a segment "
            + "condition. Every error names its field (steps[1].within). Active at once unless active is false. With "
            + "an Idempotency-Key, repeating the same request returns the first result (header Idempotent-Replayed: "
            + "true).")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = LeadRuleView.class)))
    @APIResponse(responseCode = "409", description = "A rule with this key exists")
    @APIResponse(responseCode = "422", description = "A field or step is invalid (errors[] name each), or the "
            + "Idempotency-Key was used with another body")
    public Uni<Response> create(LeadRuleInput input,
            @Parameter(description = "Makes retries safe: the same key and body create one rule")
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.create(input, idempotencyKey).map(c -> Response.created(URI.create("/api/v1/lead-rules/"
                + c.rule().id())).entity(c.rule()).tag(c.rule().etag())
                .header("Idempotent-Replayed", c.replayed() ? "true" : null).build());
    }

    @GET
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "listLeadRules", summary = "List lead rules, oldest first")
    @APIResponse(responseCode = "200", description = "A page of rules")
    public Uni<Page<LeadRuleView>> list(
            @Parameter(description = "true: active rules only; false: paused ones") @QueryParam("active") String active,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(Http.booleanParam(active, "active"), LeadRuleRepository.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "getLeadRule", summary = "Get a lead rule")
    @APIResponse(responseCode = "200", description = "The rule", content = @Content(schema = @Schema(implementation = LeadRuleView.class)))
    @APIResponse(responseCode = "404", description = "No such rule")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @GET
    @Path("{id}/stats")
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "getLeadRuleStats", summary = "What a rule has under way and has made: pending matches, "
            + "the next deadline, leads and open leads")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = LeadRuleStats.class)))
    @APIResponse(responseCode = "404", description = "No such rule")
    public Uni<LeadRuleStats> stats(@PathParam("id") UUID id) {
        return service.stats(id);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "updateLeadRule", summary = "Change a lead rule", description = "A JSON Merge Patch (RFC "
            + "7396) of the definition; a list or object given replaces the old one whole. The change is a new "
            + "version: matches already pending go on under the version they started with, new ones use this one. "
            + "active: false pauses the rule and drops its pending matches. The key cannot change. Send If-Match to "
            + "change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The changed rule", content = @Content(schema = @Schema(implementation = LeadRuleView.class)))
    @APIResponse(responseCode = "404", description = "No such rule")
    @APIResponse(responseCode = "409", description = "The key cannot change")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field or step is invalid")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch)).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @DELETE
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "deleteLeadRule", summary = "Delete a lead rule and its pending matches",
            description = "Its leads stay; their traces still name the rule and version that made them.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such rule")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }
}
