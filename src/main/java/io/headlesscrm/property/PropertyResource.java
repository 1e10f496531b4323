package io.headlesscrm.property;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/properties")
@Tag(name = "Properties", description = "Declared custom attributes and event properties, with their types")
@Produces(MediaType.APPLICATION_JSON)
public class PropertyResource {

    @Inject
    PropertyService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.PROPERTIES_MANAGE)
    @Operation(operationId = "createProperty", summary = "Declare a property", description = "From now on, writes of "
            + "customers (attributes) or events (properties) must give this property a value of its type; undeclared "
            + "properties are still stored unchecked. Values stored before are not checked again.")
    @APIResponse(responseCode = "201", description = "Declared",
            content = @Content(schema = @Schema(implementation = PropertyView.class)))
    @APIResponse(responseCode = "409", description = "Already declared for this scope (and event type)")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> create(PropertyInput input) {
        return service.create(input)
                .map(p -> Response.created(URI.create("/api/v1/properties/" + p.id())).entity(p).build());
    }

    @GET
    @PermissionsAllowed(Permissions.PROPERTIES_READ)
    @Operation(operationId = "listProperties", summary = "List declared properties")
    @APIResponse(responseCode = "200", description = "A page of declarations, oldest first")
    public Uni<Page<PropertyView>> list(@Parameter(description = "CUSTOMER or EVENT") @QueryParam("scope") String scope,
            @Parameter(description = "Only those of this event type") @QueryParam("eventType") String eventType,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(Http.enumParam(PropertyScope.class, scope, "scope"), eventType,
                PropertyService.KEYSET.fromParam(cursor, "cursor"), size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.PROPERTIES_READ)
    @Operation(operationId = "getProperty", summary = "Get a declared property")
    @APIResponse(responseCode = "200", description = "The declaration",
            content = @Content(schema = @Schema(implementation = PropertyView.class)))
    @APIResponse(responseCode = "404", description = "No such declaration")
    public Uni<PropertyView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @DELETE
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @PermissionsAllowed(Permissions.PROPERTIES_MANAGE)
    @Operation(operationId = "deleteProperty", summary = "Remove a declaration", description = "Stored values stay; "
            + "they are no longer checked.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such declaration")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }
}
