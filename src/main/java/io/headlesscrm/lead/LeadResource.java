package io.headlesscrm.lead;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Leads: work for sales that rules made from customers' behaviour. */
@Path("/api/v1/leads")
@Tag(name = "Leads", description = "Work for sales, made by lead rules from customers' behaviour")
@Produces(MediaType.APPLICATION_JSON)
public class LeadResource {

    @Inject
    LeadService service;
    @Inject
    PageConfig paging;
    @Inject
    InputValidator validator;

    @Schema(name = "LeadStatusInput")
    public record StatusInput(@NotNull @Schema(required = true, description = "CONTACTED, QUALIFIED, CONVERTED or "
            + "DISQUALIFIED") LeadStatus status, @Size(max = 1000) @Schema(description = "Why, for the history") String note) {
    }

    @Schema(name = "LeadAssignInput")
    public record AssignInput(@NotBlank @Size(max = 255) @Schema(required = true, description = "The rep: a Keycloak "
            + "subject or an API key id") String assignee, @Size(max = 1000) String note) {
    }

    @GET
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "listLeads", summary = "List leads, newest first")
    @APIResponse(responseCode = "200", description = "A page of leads")
    public Uni<Page<LeadView>> list(
            @Parameter(description = "NEW, ASSIGNED, CONTACTED, QUALIFIED, CONVERTED, DISQUALIFIED, "
                    + "CONVERTED_NATURALLY or EXPIRED") @QueryParam("status") String status,
            @Parameter(description = "true: only open leads (NEW, ASSIGNED, CONTACTED, QUALIFIED)") @QueryParam("open") String open,
            @Parameter(description = "Made by this rule") @QueryParam("rule") UUID rule,
            @Parameter(description = "Assigned to this rep") @QueryParam("assignee") String assignee,
            @Parameter(description = "About this customer") @QueryParam("customer") UUID customer,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        LeadRepository.Filter filter = new LeadRepository.Filter(Http.enumParam(LeadStatus.class, status, "status"),
                Boolean.TRUE.equals(Http.booleanParam(open, "open")), rule, assignee == null || assignee.isBlank() ? null : assignee, customer);
        return service.list(filter, LeadRepository.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "getLead", summary = "Get a lead, with its trace: the rule and events that made it")
    @APIResponse(responseCode = "200", description = "The lead", content = @Content(schema = @Schema(implementation = LeadView.class)))
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @GET
    @Path("{id}/history")
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "listLeadHistory", summary = "A lead's changes of status and assignee, oldest first")
    @APIResponse(responseCode = "200", description = "A page of changes")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Uni<Page<LeadChange>> history(@PathParam("id") UUID id,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.history(id, LeadRepository.HISTORY.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @POST
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed({ Permissions.LEADS_WORK, Permissions.LEADS_REPORT })
    @Operation(operationId = "changeLeadStatus", summary = "Move a lead on: contacted, qualified, converted or "
            + "disqualified", description = "ASSIGNED → CONTACTED → QUALIFIED → CONVERTED, or DISQUALIFIED from any "
            + "open status. Partners report outcomes this way too. Send If-Match to move only that version.")
    @APIResponse(responseCode = "200", description = "The lead", content = @Content(schema = @Schema(implementation = LeadView.class)))
    @APIResponse(responseCode = "404", description = "No such lead")
    @APIResponse(responseCode = "409", description = "Not possible from where the lead is (the detail says where it may go)")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> status(@PathParam("id") UUID id, StatusInput input, @HeaderParam("If-Match") String ifMatch) {
        validate(input);
        if (!LeadStatus.REPORTABLE.contains(input.status())) {
            throw ProblemException.validation(java.util.List.of(new io.headlesscrm.common.error.FieldError("status",
                    "must be CONTACTED, QUALIFIED, CONVERTED or DISQUALIFIED (assign with /assign)")));
        }
        return service.move(id, input.status(), null, input.note(), Http.ifMatchVersion(ifMatch))
                .map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.LEADS_WORK)
    @Operation(operationId = "assignLead", summary = "Assign a new or assigned lead to a rep")
    @APIResponse(responseCode = "200", description = "The lead", content = @Content(schema = @Schema(implementation = LeadView.class)))
    @APIResponse(responseCode = "404", description = "No such lead")
    @APIResponse(responseCode = "409", description = "The lead is past assignment")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> assign(@PathParam("id") UUID id, AssignInput input, @HeaderParam("If-Match") String ifMatch) {
        validate(input);
        return service.move(id, LeadStatus.ASSIGNED, input.assignee().trim(), input.note(), Http.ifMatchVersion(ifMatch))
                .map(v -> Response.ok(v).tag(v.etag()).build());
    }

    private void validate(Object input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
    }
}
