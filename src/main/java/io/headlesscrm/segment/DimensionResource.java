package io.headlesscrm.segment;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Dimensions are defined and listed here; each is then a segment at {@code /api/v1/segments/{id}}. */
@Path("/api/v1/dimensions")
@Tag(name = "Segments")
@Produces(MediaType.APPLICATION_JSON)
public class DimensionResource {

    @Inject
    SegmentService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Operation(operationId = "createDimension", summary = "Define a dimension", description = "Ordered buckets, each "
            + "with a condition but the last (the catch-all): every customer is in exactly one, the first whose "
            + "condition holds. Read, change and delete it at /api/v1/segments/{id}.")
    @APIResponse(responseCode = "201", description = "Defined", content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "409", description = "The key is taken")
    @APIResponse(responseCode = "422", description = "A field or a condition is invalid (errors[].pointer names the "
            + "node), or the buckets lack a catch-all")
    public Uni<Response> create(SegmentInput.Dimension input) {
        return service.createDimension(input, false).map(SegmentResource::created);
    }

    @GET
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Operation(operationId = "listDimensions", summary = "List dimensions, oldest first")
    @APIResponse(responseCode = "200", description = "A page of dimensions")
    public Uni<Page<SegmentView>> list(@Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        return SegmentResource.page(service, paging, SegmentKind.DIMENSION, limit, cursor, uri);
    }
}
