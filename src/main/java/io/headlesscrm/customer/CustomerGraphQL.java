package io.headlesscrm.customer;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Customers over GraphQL: the same {@link CustomerService} as REST, with Relay paging and userErrors. */
@GraphQLApi
public class CustomerGraphQL {

    @Inject
    CustomerService service;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;

    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Query("customer")
    @Description("A customer by id, or null when there is none")
    public Uni<CustomerView> customer(@NonNull @Id String id) throws GraphQLException {
        return service.get(Ids.parse(id, "id"))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Query("customers")
    @Description("Customers page by page (first/after), filtered and ordered")
    public Uni<CustomerConnection> customers(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, CustomerGraphQLInputs.Filter filter,
            @Name("orderBy") @DefaultValue("CREATED_AT") CustomerSort order) throws GraphQLException {
        CustomerSort orderBy = order == null ? CustomerSort.CREATED_AT : order; // an explicit null: the default
        Connections.Request page = Connections.request(paging, first, orderBy.keyset(), after);
        Cursor cursor = page.after();
        int limit = page.limit();
        CustomerFilter f = CustomerGraphQLInputs.Filter.of(filter);
        return service.list(f, orderBy, cursor, limit)
                .onFailure(ProblemException.class).transform(e -> inFilter((ProblemException) e)).map(slice -> {
            int exact = paging.exactCountLimit();
            Uni<Long> count = Uni.createFrom().deferred(() -> service.countUpTo(f, exact)).memoize().indefinitely();
            return Connections.of(slice, cursor, orderBy::cursorOf, CustomerConnection.Edge::new,
                    (edges, info) -> new CustomerConnection(edges, info, count));
        });
    }

    /** An unknown segment or bucket key (REST's 422) as an error saying which filter field and why. */
    private static Throwable inFilter(ProblemException e) {
        return e.errors().isEmpty() || e.errors().get(0).field() == null ? e
                : new GraphQLException("filter." + e.errors().get(0).field() + ": " + e.errors().get(0).message());
    }

    @Description("How many customers match the filter, across all pages: exact up to 10,000 (the server's"
            + " CRM_PAGE_EXACT_COUNT_LIMIT); past it, that limit + 1 with totalCountExact false, so a screen shows"
            + " \"10,000+\" and a count over millions stays fast")
    public Uni<@NonNull Long> totalCount(@Source CustomerConnection connection) {
        return connection.count();
    }

    @Description("Whether totalCount is the exact count (false: there are more, totalCount is a lower bound)")
    public Uni<@NonNull Boolean> totalCountExact(@Source CustomerConnection connection) {
        int exact = paging.exactCountLimit();
        return connection.count().map(n -> n <= exact);
    }

    @Description("Custom properties, a JSON object")
    public JsonObject attributes(@Source CustomerView customer) throws GraphQLException {
        try {
            return Json.createReader(new java.io.StringReader(mapper.writeValueAsString(customer.attributes())))
                    .readObject();
        } catch (JsonProcessingException e) {
            throw new GraphQLException("attributes are not serialisable");
        }
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_CREATE)
    @Mutation
    @Description("Create a customer. With idempotencyKey, a retried call returns the first result.")
    public Uni<CustomerPayload> createCustomer(@NonNull CustomerGraphQLInputs.Create input, String idempotencyKey) {
        return Uni.createFrom().deferred(() -> service.create(mapper.convertValue(json(input, input.attributes()), CustomerInput.class),
                idempotencyKey)).map(w -> CustomerPayload.ok(w.customer()))
                .onFailure().recoverWithUni(UserError.recover(CustomerPayload::failed));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_UPDATE)
    @Mutation
    @Description("Change some fields of a customer. With expectedVersion, only if it is still at that version.")
    public Uni<CustomerPayload> updateCustomer(@NonNull @Id String id, @NonNull CustomerGraphQLInputs.Patch input,
            Long expectedVersion) {
        return Uni.createFrom().deferred(() -> service.patch(Ids.parse(id, "id"), json(input, input.attributes()), expectedVersion))
                .map(CustomerPayload::ok)
                .onFailure().recoverWithUni(UserError.recover(CustomerPayload::failed));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_DELETE)
    @Mutation
    @Description("Delete a customer. With expectedVersion, only if it is still at that version.")
    public Uni<DeleteCustomerPayload> deleteCustomer(@NonNull @Id String id, Long expectedVersion) {
        return Uni.createFrom().deferred(() -> service.delete(Ids.parse(id, "id"), expectedVersion))
                .map(v -> new DeleteCustomerPayload(id, List.of()))
                .onFailure().recoverWithUni(UserError.recover(DeleteCustomerPayload::failed));
    }

    /** An input record as a JSON object without its null members, attributes as plain JSON. */
    private ObjectNode json(Record input, JsonObject attributes) {
        ObjectNode node = mapper.valueToTree(input);
        List<String> nulls = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (node.get(name).isNull()) {
                nulls.add(name);
            }
        });
        node.remove(nulls);
        if (attributes != null) {
            node.set("attributes", readTree(attributes.toString()));
        }
        return node;
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
