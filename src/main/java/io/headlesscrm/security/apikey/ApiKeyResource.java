package io.headlesscrm.security.apikey;

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

@Path("/api/v1/api-keys")
@Tag(name = "API keys", description = "Keys for partner systems and scripts (administrators only)")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permissions.API_KEYS_MANAGE)
public class ApiKeyResource {

    @Inject
    ApiKeyService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createApiKey", summary = "Create an API key",
            description = "The response carries the key, once: only its hash is stored. Send it as "
                    + "`Authorization: Bearer <key>` or `X-API-Key: <key>`. Not idempotent by Idempotency-Key: a "
                    + "replay could not show the key again.")
    @APIResponse(responseCode = "201", description = "Created, with the key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid (unknown role, expiry in the past)")
    public Uni<Response> create(ApiKeyInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        return service.create(input).map(k -> Response.created(URI.create("/api/v1/api-keys/" + k.id()))
                .header("Cache-Control", "no-store").entity(k).build());
    }

    @GET
    @Operation(operationId = "listApiKeys", summary = "List API keys, newest first", description = "Revoked and expired keys are listed too.")
    @APIResponse(responseCode = "200", description = "A page of API keys")
    public Uni<Page<ApiKeyView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = ApiKeyService.KEYSET.fromParam(cursor, "cursor");
        return service.list(after, size).map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getApiKey", summary = "Get an API key")
    @APIResponse(responseCode = "200", description = "The key's record, without the key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "No such key")
    public Uni<ApiKeyView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key", description = "Takes effect on the next request; the record stays listed.")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @APIResponse(responseCode = "204", description = "Revoked (or already revoked)")
    @APIResponse(responseCode = "404", description = "No such key")
    public Uni<Response> revoke(@PathParam("id") UUID id) {
        return service.revoke(id).map(v -> Response.noContent().build());
    }
}
