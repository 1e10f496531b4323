package io.headlesscrm.dataio;

import java.net.URI;
import java.util.List;
import java.util.Map;
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
import org.jboss.resteasy.reactive.RestMulti;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;

/** Customer exports: queue one, poll it, cancel it, download its file. */
@Path(ExportResource.PATH)
@Tag(name = "Exports",
        description = "Customers written to CSV or NDJSON files in the background, downloadable for a while")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    static final String PATH = "/api/v1/exports";

    @Inject
    ExportService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_EXPORT)
    @Operation(operationId = "createExport", summary = "Export customers",
            description = "Written in the background: poll the job, then GET its fileUrl. Readers who may not see "
                    + "contact details (analysts) get email and phone masked, as the API shows them.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(schema = @Schema(implementation = ExportJobView.class)))
    @APIResponse(responseCode = "422", description = "An unknown field or dimension")
    public Uni<Response> create(ExportDefinition definition) {
        return service.create(definition).map(job -> Response.accepted(job).location(URI.create(PATH + "/" + job.id()))
                .build());
    }

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_EXPORT)
    @Operation(operationId = "listExports", summary = "List exports, newest first")
    @APIResponse(responseCode = "200", description = "A page of exports")
    public Uni<Page<ExportJobView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = ExportService.KEYSET.fromParam(cursor, "cursor");
        return service.jobs(after, size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.CUSTOMERS_EXPORT)
    @Operation(operationId = "getExport", summary = "Get an export", description = "Poll it: rows written so far.")
    @APIResponse(responseCode = "200", description = "The export")
    @APIResponse(responseCode = "404", description = "No such export")
    public Uni<ExportJobView> get(@PathParam("id") UUID id) {
        return service.job(id);
    }

    @POST
    @Path("{id}/cancel")
    @PermissionsAllowed(Permissions.CUSTOMERS_EXPORT)
    @Operation(operationId = "cancelExport", summary = "Cancel an export", description = "What it wrote is deleted.")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such export")
    @APIResponse(responseCode = "409", description = "The export has finished")
    public Uni<ExportJobView> cancel(@PathParam("id") UUID id) {
        return service.cancel(id);
    }

    @GET
    @Path("{id}/file")
    @Produces("text/csv")
    @PermissionsAllowed(Permissions.CUSTOMERS_EXPORT)
    @Operation(operationId = "getExportFile", summary = "Download an export's file",
            description = "Streamed as stored (CSV with a header row, or NDJSON), once the export is SUCCEEDED.")
    @APIResponse(responseCode = "200", description = "The file", content = {
            @Content(mediaType = "text/csv", schema = @Schema(implementation = String.class)),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = String.class)) })
    @APIResponse(responseCode = "404", description = "No such export")
    @APIResponse(responseCode = "409", description = "The export is not SUCCEEDED (yet)")
    @APIResponse(responseCode = "410", description = "The file has expired and was deleted")
    public RestMulti<Buffer> file(@PathParam("id") UUID id) {
        return RestMulti.fromUniResponse(service.file(id), ExportService.File::body, file -> Map.of(
                "Content-Type", List.of(file.job().format().mediaType + "; charset=utf-8"),
                "Content-Disposition", List.of("attachment; filename=\"customers-" + file.job().id() + "."
                        + file.job().format().extension + "\"")));
    }
}
