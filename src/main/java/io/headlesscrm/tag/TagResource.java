package io.headlesscrm.tag;

import java.net.URI;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.Http;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/tags")
@Tag(name = "Tags", description = "Tag definitions")
@Produces(MediaType.APPLICATION_JSON)
public class TagResource {

    @Inject
    TagService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Operation(operationId = "createTag", summary = "Define a tag")
    @APIResponse(responseCode = "201", description = "Defined", content = @Content(schema = @Schema(implementation = TagView.class)))
    @APIResponse(responseCode = "409", description = "A tag with this key exists")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> create(TagInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        return service.create(input).map(t -> Response.created(URI.create("/api/v1/tags/" + t.key()))
                .entity(t).tag(t.etag()).build());
    }

    @GET
    @PermissionsAllowed(Permissions.TAGS_READ)
    @Operation(operationId = "listTags", summary = "List tags in key order", description = "Keyset pagination: follow `next` until it is null.")
    @APIResponse(responseCode = "200", description = "A page of tags")
    public Uni<Page<TagView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only tags of this category") @QueryParam("category") String category,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = TagService.KEYSET.fromParam(cursor, "cursor");
        return service.list(category == null || category.isBlank() ? null : category, after, size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{key}")
    @PermissionsAllowed(Permissions.TAGS_READ)
    @Operation(operationId = "getTag", summary = "Get a tag")
    @APIResponse(responseCode = "200", description = "The tag", content = @Content(schema = @Schema(implementation = TagView.class)))
    @APIResponse(responseCode = "404", description = "No such tag")
    public Uni<Response> get(@PathParam("key") String key) {
        return service.get(key).map(t -> Response.ok(t).tag(t.etag()).build());
    }

    @PATCH
    @Path("{key}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Operation(operationId = "updateTag", summary = "Change a tag's name, category, description or color",
            description = "A JSON Merge Patch (RFC 7396); the key cannot change. Send If-Match to change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The changed tag", content = @Content(schema = @Schema(implementation = TagView.class)))
    @APIResponse(responseCode = "404", description = "No such tag")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> patch(@PathParam("key") String key, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return service.patch(key, patch, Http.ifMatchVersion(ifMatch)).map(t -> Response.ok(t).tag(t.etag()).build());
    }

    @DELETE
    @Path("{key}")
    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Operation(operationId = "deleteTag", summary = "Delete a tag", description = "A tag that customers carry needs force=true, which removes "
            + "those assignments in the same transaction.")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such tag")
    @APIResponse(responseCode = "409", description = "The tag is assigned and force is not true")
    public Uni<Response> delete(@PathParam("key") String key,
            @Parameter(description = "Also remove the tag from every customer that carries it") @QueryParam("force") boolean force) {
        return service.delete(key, force).map(v -> Response.noContent().build());
    }
}
