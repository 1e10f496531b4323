package io.headlesscrm.segment;

import java.net.URI;
import java.time.LocalDate;
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
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.customer.CustomerService;
import io.headlesscrm.customer.CustomerSort;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/**
 * Saved segments: audiences are created here, dimensions at {@code /api/v1/dimensions}; every segment, of either
 * kind, is read, changed, deleted, listed by members and counted here.
 */
@Path("/api/v1/segments")
@Tag(name = "Segments", description = "Audiences described by conditions over customers, tags and events")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    @Inject
    SegmentService service;
    @Inject
    SegmentCounts counts;
    @Inject
    CustomerService customers;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Operation(operationId = "createAudience", summary = "Save an audience", description = "The condition is compiled "
            + "and checked as for a preview; members are computed in the background (refreshing is true meanwhile) "
            + "and kept up to date as customers, their tags and their events change.")
    @APIResponse(responseCode = "201", description = "Saved", content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "409", description = "The key is taken")
    @APIResponse(responseCode = "422", description = "A field or the condition is invalid; errors[].pointer names the node")
    public Uni<Response> create(SegmentInput.Audience input) {
        return service.createAudience(input).map(SegmentResource::created);
    }

    static Response created(SegmentView v) {
        return Response.created(URI.create("/api/v1/segments/" + v.id())).entity(v).tag(v.etag()).build();
    }

    @GET
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Operation(operationId = "listSegments", summary = "List saved segments, oldest first")
    @APIResponse(responseCode = "200", description = "A page of segments")
    public Uni<Page<SegmentView>> list(@Parameter(description = "DIMENSION or AUDIENCE") @QueryParam("kind") String kind,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        return page(service, paging, Http.enumParam(SegmentKind.class, kind, "kind"), limit, cursor, uri);
    }

    static Uni<Page<SegmentView>> page(SegmentService service, PageConfig paging, SegmentKind kind, String limit,
            String cursor, UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(kind, SegmentRepository.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Operation(operationId = "getSegment", summary = "Get a segment (either kind)")
    @APIResponse(responseCode = "200", description = "The segment", content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @PATCH
    @Path("{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Operation(operationId = "updateSegment", summary = "Change a segment's name, description, condition or buckets",
            description = "A JSON Merge Patch (RFC 7396): name, description, and condition (an audience) or buckets "
                    + "(a dimension: the whole ordered list; a bucket keeps its members by key). Key and kind cannot "
                    + "change. Members are recomputed in the background, each change recorded with cause definition. "
                    + "Send If-Match to change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The changed segment", content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field or a condition is invalid, or the segments would read "
            + "each other in a cycle; errors[].pointer names the node")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch)).map(v -> Response.ok(v).tag(v.etag()).build());
    }

    @DELETE
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Operation(operationId = "deleteSegment", summary = "Delete a segment and its memberships",
            description = "Built-in dimensions cannot be deleted, nor a segment another one's condition reads.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "409", description = "Built in, or read by another segment")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }

    @GET
    @Path("{id}/members")
    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Operation(operationId = "listSegmentMembers", summary = "The customers in a segment (or one bucket of a dimension)",
            description = "The customer list filtered by segment (and bucket); keyset paged like it.")
    @APIResponse(responseCode = "200", description = "A page of customers")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "422", description = "The bucket is not one of the segment's")
    public Uni<Page<CustomerView>> members(@PathParam("id") UUID id,
            @Parameter(description = "A dimension's bucket key") @QueryParam("bucket") String bucket,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        CustomerSort order = CustomerSort.fromParam(null);
        var after = order.keyset().fromParam(cursor, "cursor");
        // the customer list refuses a bucket the segment does not have (422), as it does for the customers' filter
        return service.get(id).flatMap(segment -> customers.list(CustomerFilter.NONE.withSegment(segment.key(), bucket),
                order, after, size)).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}/counts")
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Operation(operationId = "getSegmentCounts", summary = "Members per bucket, day by day",
            description = "A point per day (UTC) from the daily snapshots, today's from the live count; days before "
                    + "the segment existed have no point. At most 366 days.")
    @APIResponse(responseCode = "200", description = "The series", content = @Content(schema = @Schema(implementation = SegmentCounts.Series.class)))
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<SegmentCounts.Series> counts(@PathParam("id") UUID id,
            @Parameter(description = "First day, YYYY-MM-DD (default: 29 days before to)") @QueryParam("from") String from,
            @Parameter(description = "Last day, YYYY-MM-DD (default: today, UTC)") @QueryParam("to") String to) {
        LocalDate last = SegmentCounts.day(to, "to", LocalDate.now(java.time.ZoneOffset.UTC));
        LocalDate first = SegmentCounts.day(from, "from", last.minusDays(29));
        SegmentCounts.range(first, last);
        return service.get(id).flatMap(segment -> counts.series(segment, first, last));
    }
}
