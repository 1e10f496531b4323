package io.headlesscrm.touchpoint;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/touchpoints")
@Tag(name = "Touchpoints", description = "Reaches of customers on a channel, fanned out to partners as signed webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class TouchpointResource {

    @Inject
    TouchpointService service;
    @Inject
    PageConfig paging;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.TOUCHPOINTS_CREATE)
    @Operation(operationId = "createTouchpoint", summary = "Reach a customer", description = "Queued and sent as touchpoint.created to the subscribed "
            + "webhook endpoints, in the same transaction. A customer who opted out of the channel, or lacks the phone "
            + "or email it needs, gets a SUPPRESSED touchpoint that is sent to no one; statusReason says why. The "
            + "idempotency key may come in the body or the Idempotency-Key header.")
    @APIResponse(responseCode = "201", description = "Created (QUEUED or SUPPRESSED)",
            content = @Content(schema = @Schema(implementation = TouchpointView.class)))
    @APIResponse(responseCode = "200", description = "The touchpoint an earlier request with this idempotency key created",
            content = @Content(schema = @Schema(implementation = TouchpointView.class)))
    @APIResponse(responseCode = "422", description = "Invalid field, unknown customer, or a reused idempotency key "
            + "with a different body")
    public Uni<Response> create(TouchpointInput input, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.createOne(withHeaderKey(input, idempotencyKey)).map(r -> {
            TouchpointView t = r.items().get(0);
            return r.replayed() > 0 ? Response.ok(t).build()
                    : Response.created(URI.create("/api/v1/touchpoints/" + t.id())).entity(t).build();
        });
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.TOUCHPOINTS_CREATE)
    @Operation(operationId = "createTouchpoints", summary = "Reach many customers at once (up to 500)", description = "All or nothing: one invalid item "
            + "or unknown customer is a 422 naming each such item (items[i].field), and nothing is created.")
    @APIResponse(responseCode = "200", description = "Created, in the order asked",
            content = @Content(schema = @Schema(implementation = TouchpointBatch.Result.class)))
    @APIResponse(responseCode = "422", description = "Invalid items or unknown customers; nothing created")
    public Uni<TouchpointBatch.Result> createBatch(TouchpointBatch.Input input) {
        return service.create(input);
    }

    @GET
    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Operation(operationId = "listTouchpoints", summary = "List touchpoints, newest first")
    @APIResponse(responseCode = "200", description = "A page of touchpoints")
    public Uni<Page<TouchpointView>> list(
            @QueryParam("customerId") UUID customerId,
            @Parameter(description = "SMS, EMAIL, APP_PUSH, WECHAT, WECOM, CALL_TASK, SMART_CALL or CUSTOM")
            @QueryParam("channel") String channel,
            @Parameter(description = "QUEUED, SENT, DELIVERED, OPENED, CLICKED, CONVERTED, FAILED or SUPPRESSED")
            @QueryParam("status") String status,
            @Parameter(description = "Created at or after (ISO-8601)") @QueryParam("createdFrom") String createdFrom,
            @Parameter(description = "Created before (ISO-8601)") @QueryParam("createdTo") String createdTo,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        TouchpointFilter filter = new TouchpointFilter(customerId, Http.enumParam(Channel.class, channel, "channel"),
                Http.enumParam(TouchpointStatus.class, status, "status"), Http.instantParam(createdFrom, "createdFrom"),
                Http.instantParam(createdTo, "createdTo"));
        return service.list(filter, TouchpointService.KEYSET.fromParam(cursor, "cursor"), size)
                .map(slice -> PageLinks.page(slice, uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Operation(operationId = "getTouchpoint", summary = "Get a touchpoint and its history")
    @APIResponse(responseCode = "200", description = "The touchpoint",
            content = @Content(schema = @Schema(implementation = TouchpointView.class)))
    @APIResponse(responseCode = "404", description = "No such touchpoint")
    public Uni<TouchpointView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @POST
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.TOUCHPOINTS_REPORT)
    @Operation(operationId = "reportTouchpointStatus", summary = "Report what happened to a touchpoint (partner callback)", description = "Moves it along "
            + "QUEUED → SENT → DELIVERED → OPENED → CLICKED → CONVERTED (steps may be skipped), or to FAILED before "
            + "delivery. A status already reported is a harmless DUPLICATE; one arriving after a later one is LATE "
            + "(kept in the history, the status stays). A change is sent as touchpoint.status_changed.")
    @APIResponse(responseCode = "200", description = "APPLIED, DUPLICATE or LATE",
            content = @Content(schema = @Schema(implementation = StatusReportResult.class)))
    @APIResponse(responseCode = "404", description = "No such touchpoint")
    @APIResponse(responseCode = "409", description = "Not possible from the current status (e.g. FAILED after "
            + "DELIVERED, anything on a SUPPRESSED touchpoint)")
    @APIResponse(responseCode = "422", description = "Not a reportable status, FAILED without a reason, or a time in "
            + "the future")
    public Uni<StatusReportResult> report(@PathParam("id") UUID id, StatusReport report) {
        return service.report(id, report);
    }

    private static TouchpointInput withHeaderKey(TouchpointInput input, String header) {
        if (input == null || header == null) {
            return input;
        }
        if (input.idempotencyKey() != null && !input.idempotencyKey().equals(header)) {
            throw ProblemException.validation(java.util.List.of(new FieldError("idempotencyKey",
                    "differs from the Idempotency-Key header")));
        }
        return input.withIdempotencyKey(header);
    }
}
