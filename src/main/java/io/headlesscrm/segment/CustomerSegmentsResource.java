package io.headlesscrm.segment;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.Moved;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** REST for a customer's segments: what GraphQL's Customer.segments shows, for one customer. */
@Path("/api/v1/customers/{id}/segments")
@Tag(name = "Segments")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerSegmentsResource {

    @Inject
    SegmentMemberships memberships;
    @Inject
    CustomerRepository customers;

    @GET
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Operation(operationId = "listCustomerSegments", summary = "A customer's segments",
            description = "The customer's bucket of every dimension, then the audiences it is in, each by key")
    @APIResponse(responseCode = "200", description = "The customer's memberships")
    @APIResponse(responseCode = "308", description = Moved.DESCRIPTION)
    @APIResponse(responseCode = "404", description = "No such customer")
    public Uni<List<SegmentMemberships.Membership>> list(@PathParam("id") UUID id) {
        return Panache.withSession(() -> customers.exists(id)).flatMap(exists -> exists
                ? memberships.of(List.of(id)).map(all -> all.get(0)) : customers.missing(id));
    }
}
