package io.headlesscrm.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/webhook-endpoints")
@Tag(name = "Webhooks", description = "Partner systems subscribed to events, signed per Standard Webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookEndpointResource {

    @Inject
    WebhookEndpointService service;
    @Inject
    WebhookMessageService messages;
    @Inject
    PageConfig paging;

    /** The body of a recover request. */
    @Schema(name = "WebhookRecoverInput")
    public record RecoverInput(@Schema(description = "Messages created since this time", required = true) Instant since) {
    }

    /** The answer to a recover request. */
    @Schema(name = "WebhookRecoverResult")
    public record RecoverResult(@Schema(description = "Messages scheduled to be sent again") int recovered) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "createWebhookEndpoint", summary = "Subscribe an endpoint", description = "The answer carries the signing secret (whsec_…); it is "
            + "never shown again. The URL must resolve to public addresses only (or ones in CRM_WEBHOOK_ALLOWLIST).")
    @APIResponse(responseCode = "201", description = "Subscribed, with its secret",
            content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid: a URL that is not http(s), does not "
            + "resolve or is not public; an event type filter that matches nothing")
    public Uni<Response> create(WebhookEndpointInput input) {
        return service.create(input).map(e -> Response.created(URI.create("/api/v1/webhook-endpoints/" + e.id()))
                .entity(e).tag(e.etag()).build());
    }

    @GET
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "listWebhookEndpoints", summary = "List endpoints, oldest first")
    @APIResponse(responseCode = "200", description = "A page of endpoints")
    public Uni<Page<WebhookEndpointView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(WebhookEndpointService.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "getWebhookEndpoint", summary = "Get an endpoint")
    @APIResponse(responseCode = "200", description = "The endpoint",
            content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(e -> Response.ok(e).tag(e.etag()).build());
    }

    @PATCH
    @Path("{id}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "updateWebhookEndpoint", summary = "Change an endpoint", description = "A JSON Merge Patch (RFC 7396) of url, eventTypes, "
            + "description, enabled, rateLimitPerSecond. Send If-Match to change only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The changed endpoint",
            content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch, @HeaderParam("If-Match") String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch)).map(e -> Response.ok(e).tag(e.etag()).build());
    }

    @DELETE
    @Path("{id}")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "deleteWebhookEndpoint", summary = "Unsubscribe an endpoint")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such endpoint")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }

    @POST
    @Path("{id}/rotate-secret")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate the signing secret", description = "The answer carries the new secret. During the "
            + "grace period deliveries carry two signatures, the new secret's and the old one's.")
    @APIResponse(responseCode = "200", description = "Rotated, with the new secret",
            content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "422", description = "graceSeconds out of range")
    public Uni<WebhookEndpointView> rotateSecret(@PathParam("id") UUID id,
            @Parameter(description = "How long the old secret keeps signing too, 0 to 604800 (default 86400)")
            @QueryParam("graceSeconds") String graceSeconds) {
        Integer seconds = Http.intParam(graceSeconds, "graceSeconds");
        return service.rotateSecret(id, Duration.ofSeconds(seconds == null ? 86_400 : seconds));
    }

    @GET
    @Path("{id}/messages")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "listWebhookMessages", summary = "List an endpoint's messages, newest first", description = "The delivery log; each message's "
            + "attempts are in GET /api/v1/webhook-messages/{id}")
    @APIResponse(responseCode = "200", description = "A page of messages")
    @APIResponse(responseCode = "404", description = "No such endpoint")
    public Uni<Page<WebhookMessageView>> messages(@PathParam("id") UUID id,
            @Parameter(description = "Only messages in this state") @QueryParam("state") String state,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return messages.list(id, Http.enumParam(WebhookMessageView.State.class, state, "state"),
                WebhookMessageService.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @POST
    @Path("{id}/recover")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "recoverWebhookMessages", summary = "Send again every failed or dead message created since a time", description = "Each gets a "
            + "fresh retry schedule and keeps its webhook-id. The endpoint must be enabled.")
    @APIResponse(responseCode = "202", description = "Scheduled",
            content = @Content(schema = @Schema(implementation = RecoverResult.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "409", description = "The endpoint is disabled")
    @APIResponse(responseCode = "422", description = "since is missing")
    public Uni<Response> recover(@PathParam("id") UUID id, RecoverInput input) {
        return messages.recover(id, input == null ? null : input.since())
                .map(n -> Response.accepted(new RecoverResult(n)).build());
    }
}
