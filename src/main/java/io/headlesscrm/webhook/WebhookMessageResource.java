package io.headlesscrm.webhook;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/webhook-messages")
@Tag(name = "Webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookMessageResource {

    @Inject
    WebhookMessageService service;

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "getWebhookMessage", summary = "Get a message, its payload and every delivery attempt")
    @APIResponse(responseCode = "200", description = "The message",
            content = @Content(schema = @Schema(implementation = WebhookMessageView.class)))
    @APIResponse(responseCode = "404", description = "No such message")
    public Uni<WebhookMessageView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @POST
    @Path("{id}/resend")
    @PermissionsAllowed(Permissions.WEBHOOKS_MANAGE)
    @Operation(operationId = "resendWebhookMessage", summary = "Send a message again", description = "Whatever its state, with a fresh retry schedule and "
            + "the same webhook-id, so a receiver that already has it can tell")
    @APIResponse(responseCode = "202", description = "Scheduled",
            content = @Content(schema = @Schema(implementation = WebhookMessageView.class)))
    @APIResponse(responseCode = "404", description = "No such message")
    public Uni<Response> resend(@PathParam("id") UUID id) {
        return service.resend(id).map(m -> Response.accepted(m).build());
    }
}
