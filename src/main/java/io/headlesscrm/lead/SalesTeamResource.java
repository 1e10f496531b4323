package io.headlesscrm.lead;

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

import io.headlesscrm.common.Crud;
import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Sales teams: the reps leads are assigned to. */
@Path("/api/v1/sales-teams")
@Tag(name = "Lead assignment", description = "Sales teams and their reps, and the rules that assign new leads to them")
@Produces(MediaType.APPLICATION_JSON)
public class SalesTeamResource {

    private final Crud<SalesTeamInput, SalesTeamView> crud;

    @Inject
    SalesTeamResource(SalesTeamService service, PageConfig paging) {
        this.crud = new Crud<>(service, "/api/v1/sales-teams", SalesTeamRepository.KEYSET, paging, SalesTeamView::id, SalesTeamView::etag);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "createSalesTeam", summary = "Define a sales team and its reps")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SalesTeamView.class)))
    @APIResponse(responseCode = "409", description = "The key is taken")
    @APIResponse(responseCode = "422", description = "A field is invalid (errors[] name each)")
    public Uni<Response> create(SalesTeamInput input) {
        return crud.create(input);
    }

    @GET
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "listSalesTeams", summary = "List sales teams, oldest first")
    @APIResponse(responseCode = "200", description = "A page")
    public Uni<Page<SalesTeamView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        return crud.list(limit, cursor, uri);
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.LEADS_READ)
    @Operation(operationId = "getSalesTeam", summary = "Get a sales team")
    @APIResponse(responseCode = "200", description = "Found", content = @Content(schema = @Schema(implementation = SalesTeamView.class)))
    @APIResponse(responseCode = "404", description = "Not found")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return crud.get(id);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "updateSalesTeam", summary = "Change a sales team", description = "A JSON Merge Patch (RFC 7396); reps given replace the list whole (reps kept keep their place in the round robin). Send If-Match to change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = SalesTeamView.class)))
    @APIResponse(responseCode = "404", description = "Not found")
    @APIResponse(responseCode = "409", description = "The key is taken")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return crud.patch(id, patch, ifMatch);
    }

    @DELETE
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @PermissionsAllowed(Permissions.LEAD_RULES_MANAGE)
    @Operation(operationId = "deleteSalesTeam", summary = "Delete a sales team")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Not found")
    @APIResponse(responseCode = "409", description = "An assignment rule assigns to this team")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return crud.delete(id);
    }
}
