package io.headlesscrm.tag;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Assigning or removing several tags on many customers at once. */
@Path("/api/v1/tag-assignments")
@Tag(name = "Tags")
@Produces(MediaType.APPLICATION_JSON)
public class TagAssignmentResource {

    @Inject
    TagBulkService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "changeTagsInBulk", summary = "Assign or remove tags on many customers",
            description = "With customerIds (at most 1000) the change applies at once and all or nothing: if a tag "
                    + "or customer is unknown, the 422 lists exactly those items and nothing is written. ASSIGN "
                    + "creates the assignments customers lack and leaves live ones as they are. With a filter the "
                    + "change runs as a background job: 202 with the job to poll at Location.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BulkTagInput.class), examples = {
            @ExampleObject(name = "by ids", value = """
                    {"operation": "ASSIGN", "tags": ["vip"], "customerIds": ["0193a5c2-7d1e-7c3a-9b2f-5e8d4c1a2b3c"]}"""),
            @ExampleObject(name = "by filter", value = """
                    {"operation": "REMOVE", "tags": ["coupon-eligible"], "filter": {"tagsAll": ["churned"]}}""") }))
    @APIResponse(responseCode = "200", description = "Applied (customerIds)",
            content = @Content(schema = @Schema(implementation = BulkTagResult.class)))
    @APIResponse(responseCode = "202", description = "Queued as a background job (filter)",
            content = @Content(schema = @Schema(implementation = TagJobView.class)))
    @APIResponse(responseCode = "422", description = "Invalid request, over the maximum size, or unknown tags or "
            + "customers (each listed in errors); nothing was applied")
    public Uni<Response> apply(BulkTagInput input) {
        if (input != null && input.filter() != null && input.customerIds() == null) {
            return service.submit(input).map(job -> Response.accepted(job)
                    .location(URI.create(TagJobResource.PATH + "/" + job.id())).build());
        }
        return service.apply(input).map(result -> Response.ok(result).build());
    }
}
