package io.headlesscrm.customer;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
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

@Path("/api/v1/customers")
@Tag(name = "Customers", description = "Customer profiles")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String ATTRIBUTE_PARAM = "attr.";
    static final String EXAMPLE = """
            {"externalId": "crm-42", "type": "INDIVIDUAL", "name": "Ada Lovelace", "email": "ada@example.com",
             "phone": "+14155550123", "attributes": {"tier": "gold"}}""";

    @Inject
    CustomerService service;
    @Inject
    PageConfig paging;

    @PermissionsAllowed(Permissions.CUSTOMERS_CREATE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCustomer", summary = "Create a customer",
            description = "With an Idempotency-Key, repeating the same request returns the first result "
                    + "(header Idempotent-Replayed: true); the same key with another body is a 422.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CustomerInput.class),
            examples = @ExampleObject(name = "individual", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location and ETag are set",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "409", description = "Another customer has this externalId, or an erased customer had"
            + " this email, phone or externalId (customer-suppressed)")
    @APIResponse(responseCode = "422", description = "A field is invalid, or the Idempotency-Key was used with another body")
    public Uni<Response> create(CustomerInput input,
            @Parameter(description = "Makes retries safe: the same key and body create one customer")
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return service.create(requireBody(input), idempotencyKey).map(w -> written(w)
                .header("Idempotent-Replayed", w.replayed() ? "true" : null).build());
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @GET
    @Path("{id}")
    @Operation(operationId = "getCustomer", summary = "Get a customer", description = "The ETag header carries the version for If-Match.")
    @APIResponse(responseCode = "200", description = "The customer",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "404", description = "No such customer")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(c -> Response.ok(c).tag(c.etag()).build());
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_UPDATE)
    @PATCH
    @Path("{id}")
    @Consumes({ MERGE_PATCH, MediaType.APPLICATION_JSON })
    @Operation(operationId = "updateCustomer", summary = "Update part of a customer",
            description = "A JSON Merge Patch (RFC 7396): fields present are set, fields set to null are cleared, "
                    + "attributes merge key by key. Send If-Match with the ETag to update only that version.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "rename", value = "{\"name\": \"Ada King\", \"attributes\": {\"tier\": null}}")))
    @APIResponse(responseCode = "200", description = "The updated customer, with its new ETag",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "409", description = "Another customer has this externalId, a concurrent update won, or"
            + " an erased customer had the new email, phone or externalId (customer-suppressed)")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    @APIResponse(responseCode = "422", description = "A field is invalid")
    public Uni<Response> patch(@PathParam("id") UUID id, JsonNode patch,
            @Parameter(description = "ETag of the version this change is based on") @HeaderParam("If-Match") String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch))
                .map(c -> Response.ok(c).tag(c.etag()).build());
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_DELETE)
    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteCustomer", summary = "Delete a customer")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such customer")
    @APIResponse(responseCode = "412", description = "If-Match does not match the current version")
    public Uni<Response> delete(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return service.delete(id, Http.ifMatchVersion(ifMatch)).map(v -> Response.noContent().build());
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @GET
    @Operation(operationId = "listCustomers", summary = "List customers",
            description = "Keyset pagination: follow `next` (or pass `nextCursor` as `cursor`) until it is null. "
                    + "Filter on attributes with attr.<name>=<value>, for example attr.tier=gold.")
    @APIResponse(responseCode = "200", description = "A page of customers")
    @APIResponse(responseCode = "422", description = "segment or bucket is not a key of a segment or of its buckets")
    public Uni<Page<CustomerView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "createdAt, -createdAt, name or -name (default createdAt)") @QueryParam("sort") String sort,
            @Parameter(description = "INDIVIDUAL or ENTERPRISE") @QueryParam("type") String type,
            @Parameter(description = "Text contained in the name, email or phone") @QueryParam("q") String q,
            @QueryParam("externalId") String externalId,
            @Parameter(description = "The email, exactly (case-insensitive)") @QueryParam("email") String email,
            @Parameter(description = "The phone, exactly (E.164)") @QueryParam("phone") String phone,
            @Parameter(description = "Created at or after (ISO-8601)") @QueryParam("createdFrom") String createdFrom,
            @Parameter(description = "Created before (ISO-8601)") @QueryParam("createdTo") String createdTo,
            @Parameter(description = "Tag keys the customer carries all of (comma-separated)") @QueryParam("tagsAll") String tagsAll,
            @Parameter(description = "Tag keys the customer carries at least one of") @QueryParam("tagsAny") String tagsAny,
            @Parameter(description = "Tag keys the customer carries none of") @QueryParam("tagsNone") String tagsNone,
            @Parameter(description = "Key of a saved segment: its members only") @QueryParam("segment") String segment,
            @Parameter(description = "With a dimension's key as segment: the customers in this bucket")
            @QueryParam("bucket") String bucket,
            @Context UriInfo uri) {
        CustomerSort order = CustomerSort.fromParam(sort);
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = order.keyset().fromParam(cursor, "cursor");
        CustomerFilter filter = new CustomerFilter(Http.enumParam(CustomerType.class, type, "type"), q, externalId,
                email, phone, Http.instantParam(createdFrom, "createdFrom"), Http.instantParam(createdTo, "createdTo"),
                attributeFilters(uri), tagKeys(tagsAll), tagKeys(tagsAny), tagKeys(tagsNone), segment, bucket);
        return service.list(filter, order, after, size).map(slice -> PageLinks.page(slice, uri));
    }

    /** A comma-separated list of tag keys; blank entries are ignored. */
    private static Set<String> tagKeys(String list) {
        Set<String> keys = new LinkedHashSet<>();
        if (list != null) {
            for (String key : list.split(",")) {
                if (!key.isBlank()) {
                    keys.add(key.trim());
                }
            }
        }
        return keys;
    }

    private static Map<String, String> attributeFilters(UriInfo uri) {
        Map<String, String> attrs = new HashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (name.startsWith(ATTRIBUTE_PARAM) && name.length() > ATTRIBUTE_PARAM.length()) {
                attrs.put(name.substring(ATTRIBUTE_PARAM.length()), values.get(0));
            }
        });
        return attrs;
    }

    static Response.ResponseBuilder written(CustomerService.Written w) {
        CustomerView c = w.customer();
        Response.ResponseBuilder r = w.created()
                ? Response.created(URI.create("/api/v1/customers/" + c.id()))
                : Response.ok();
        return r.entity(c).tag(c.etag());
    }

    static CustomerInput requireBody(CustomerInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null,
                    "A JSON body is required");
        }
        return input;
    }
}
