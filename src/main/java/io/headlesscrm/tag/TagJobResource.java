package io.headlesscrm.tag;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Background tag jobs: their progress and final count, and cancelling one. */
@Path(TagJobResource.PATH)
@Tag(name = "Tags")
@Produces(MediaType.APPLICATION_JSON)
public class TagJobResource {

    static final String PATH = "/api/v1/tag-jobs";

    @Inject
    TagBulkService service;
    @Inject
    PageConfig paging;

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "listTagJobs", summary = "List tag jobs, newest first")
    @APIResponse(responseCode = "200", description = "A page of jobs")
    public Uni<Page<TagJobView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = TagBulkService.JOB_KEYSET.fromParam(cursor, "cursor");
        return service.jobs(after, size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "getTagJob", summary = "Get a tag job", description = "Poll it: processed of total, and changed, the final count "
            + "once status is SUCCEEDED.")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<TagJobView> get(@PathParam("id") UUID id) {
        return service.job(id);
    }

    @POST
    @Path("{id}/cancel")
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "cancelTagJob", summary = "Cancel a tag job", description = "Batches already applied stay applied; no further batch starts.")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Uni<TagJobView> cancel(@PathParam("id") UUID id) {
        return service.cancel(id);
    }
}
