package io.headlesscrm.customer;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

/**
 * Customers addressed by the partner's own key. A sibling of {@code /customers}, not a sub-path:
 * {@code /customers/by-external-id/{x}} and {@code /customers/{id}/tags} would be ambiguous to path matchers and
 * generated clients.
 */
@Path("/api/v1/customers-by-external-id/{externalId}")
@Tag(name = "Customers")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerByExternalIdResource {

    @Inject
    CustomerService service;

    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @GET
    @Operation(operationId = "getCustomerByExternalId", summary = "Get a customer by external id",
            description = "The ETag header carries the version for If-Match.")
    @APIResponse(responseCode = "200", description = "The customer",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "404", description = "No customer has this externalId")
    public Uni<Response> get(@PathParam("externalId") String externalId) {
        return service.getByExternalId(externalId).map(c -> Response.ok(c).tag(c.etag()).build());
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_UPSERT)
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "upsertCustomerByExternalId", summary = "Create or replace a customer by external id",
            description = "Idempotent sync for partners: creates the customer (201) or replaces every field (200).")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CustomerInput.class),
            examples = @ExampleObject(name = "individual", value = CustomerResource.EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "409", description = "An erased customer had this email, phone or externalId"
            + " (customer-suppressed)")
    @APIResponse(responseCode = "422", description = "A field is invalid, or the body's externalId differs from the path")
    public Uni<Response> upsert(@PathParam("externalId") String externalId, CustomerInput input) {
        return service.upsertByExternalId(externalId, CustomerResource.requireBody(input))
                .map(w -> CustomerResource.written(w).build());
    }
}
