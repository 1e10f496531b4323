package io.headlesscrm.tag;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.common.error.Problem;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The everyday tag paths partners rely on: a customer's tags, assign one, remove one. */
@Path("/api/v1/customers/{id}/tags")
@Tag(name = "Tags")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerTagResource {

    /** The optional body of an assignment. */
    @Schema(name = "TagAssignmentInput", description = "Optional details of an assignment")
    public record AssignmentInput(TagSource source,
            @Schema(description = "When the assignment lapses; must be in the future", examples = "2027-01-01T00:00:00Z")
            Instant expiresAt) {
    }

    @Inject
    CustomerTagService service;

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Operation(operationId = "listCustomerTags", summary = "List a customer's tags", description = "In key order; expired assignments are never shown.")
    @APIResponse(responseCode = "200", description = "The customer's tags", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = CustomerTagView.class)))
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    public Uni<Response> list(@PathParam("id") UUID id) {
        // the cache holds the JSON as it is sent
        return service.tagsOf(id).map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "assignCustomerTag", summary = "Assign a tag", description = "Idempotent: assigning again replaces source and expiry. "
            + "The body is optional.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = AssignmentInput.class)))
    @APIResponse(responseCode = "201", description = "Assigned; the customer did not carry the tag",
            content = @Content(schema = @Schema(implementation = CustomerTagView.class)))
    @APIResponse(responseCode = "200", description = "Already carried; source and expiry replaced",
            content = @Content(schema = @Schema(implementation = CustomerTagView.class)))
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "422", description = "Unknown tag, or an expiry in the past")
    public Uni<Response> assign(@PathParam("id") UUID id, @PathParam("key") String key, AssignmentInput input) {
        AssignmentInput in = input == null ? new AssignmentInput(null, null) : input;
        return service.assign(id, key, in.source(), in.expiresAt())
                .map(a -> Response.status(a.created() ? 201 : 200).entity(a.tag()).build());
    }

    @DELETE
    @Path("{key}")
    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Operation(operationId = "removeCustomerTag", summary = "Remove a tag from a customer")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer, or the customer does not carry the tag")
    @APIResponse(responseCode = "422", description = "Unknown tag")
    public Uni<Response> remove(@PathParam("id") UUID id, @PathParam("key") String key) {
        return service.remove(id, key).map(v -> Response.noContent().build());
    }
}
