package io.headlesscrm.dataio;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Customer imports: define one, upload its file ({@link ImportUpload}), poll it, cancel it, read its errors. */
@Path(ImportResource.PATH)
@Tag(name = "Imports",
        description = "Customers loaded from CSV or NDJSON files of any size, as background jobs")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    static final String PATH = "/api/v1/imports";

    @Inject
    ImportService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_IMPORT)
    @Operation(operationId = "createImport", summary = "Define a customer import",
            description = "Step one of two: the mapping, match key and mode. Then PUT the file (CSV with a header row, "
                    + "or NDJSON) to the job's uploadUrl; the import runs in the background once it is stored.")
    @APIResponse(responseCode = "201", description = "Defined, awaiting its file",
            content = @Content(schema = @Schema(implementation = ImportJobView.class)))
    @APIResponse(responseCode = "422", description = "A field or a column mapping is invalid")
    public Uni<Response> create(ImportDefinition definition) {
        return service.create(definition).map(job -> Response.created(URI.create(PATH + "/" + job.id())).entity(job)
                .build());
    }

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_IMPORT)
    @Operation(operationId = "listImports", summary = "List imports, newest first")
    @APIResponse(responseCode = "200", description = "A page of imports")
    public Uni<Page<ImportJobView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = ImportService.KEYSET.fromParam(cursor, "cursor");
        return service.jobs(after, size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.CUSTOMERS_IMPORT)
    @Operation(operationId = "getImport", summary = "Get an import", description = "Poll it: rows read of total; "
            + "created, updated, unchanged and failed so far.")
    @APIResponse(responseCode = "200", description = "The import")
    @APIResponse(responseCode = "404", description = "No such import")
    public Uni<ImportJobView> get(@PathParam("id") UUID id) {
        return service.job(id);
    }

    @POST
    @Path("{id}/cancel")
    @PermissionsAllowed(Permissions.CUSTOMERS_IMPORT)
    @Operation(operationId = "cancelImport", summary = "Cancel an import",
            description = "Rows already applied stay applied; the rest of the file is dropped.")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such import")
    @APIResponse(responseCode = "409", description = "The import has finished, or its file is being uploaded")
    public Uni<ImportJobView> cancel(@PathParam("id") UUID id) {
        return service.cancel(id);
    }

    @GET
    @Path("{id}/errors")
    @Produces("text/csv")
    @PermissionsAllowed(Permissions.CUSTOMERS_IMPORT)
    @Operation(operationId = "getImportErrors", summary = "The error report of an import",
            description = "CSV: line,field,reason, one line per problem of a failed row, in line order; streamed.")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = "text/csv", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "404", description = "No such import")
    public Multi<String> errors(@PathParam("id") UUID id) {
        return service.report(id);
    }
}
