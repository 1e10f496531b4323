package io.headlesscrm.event;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Links an anonymous id to a customer: its events move into the customer's timeline in one transaction, and later
 * events of that anonymous id are the customer's at once. An anonymous id belongs to one customer for good.
 */
@ApplicationScoped
public class IdentifyService {

    private static final String LINK = "INSERT INTO anonymous_identity (anonymous_id, customer_id, linked_at)"
            + " VALUES ($1, $2, now()) ON CONFLICT (anonymous_id) DO NOTHING";
    private static final String LINKED = "SELECT customer_id FROM anonymous_identity WHERE anonymous_id = $1";
    private static final String MOVE = "WITH moved AS (DELETE FROM anonymous_event WHERE anonymous_id = $1 RETURNING *)"
            + " INSERT INTO event (customer_id, occurred_at, event_id, id, type, properties, items, context, received_at)"
            + " SELECT $2, occurred_at, event_id, id, type, properties, items, context, received_at FROM moved"
            + " ON CONFLICT DO NOTHING RETURNING occurred_at";

    @Inject
    Pool pool;
    @Inject
    InputValidator validator;
    @Inject
    CustomerRepository customers;
    @Inject
    CustomerService customerService;
    @Inject
    ObjectMapper mapper;

    public Uni<IdentifyInput.Result> identify(IdentifyInput input) {
        if (input == null) {
            throw ProblemException.badRequest("invalid-field", null, "The body must be an identify object");
        }
        validator.validate(input);
        // the checks first, so a refused link changes no attributes
        return pool.withTransaction(conn -> resolve(conn, input).flatMap(customer -> linkedTo(conn, input.anonymousId())
                .map(linked -> check(input, customer, linked)))).flatMap(customer -> mergeAttributes(customer, input))
                .flatMap(customer -> pool.withTransaction(conn -> link(conn, input.anonymousId(), customer)));
    }

    private Uni<UUID> resolve(SqlConnection conn, IdentifyInput input) {
        return customers.lockForEvents(conn, input.customerId() == null ? Set.of() : Set.of(input.customerId()),
                input.externalId() == null ? Set.of() : Set.of(input.externalId())).map(found -> {
                    UUID id = found.get(input.customerId() != null ? input.customerId() : input.externalId());
                    if (id == null) {
                        throw ProblemException.notFound("Customer",
                                input.customerId() != null ? input.customerId() : input.externalId());
                    }
                    return id;
                });
    }

    private static UUID check(IdentifyInput input, UUID customer, UUID linked) {
        if (linked != null && !linked.equals(customer)) {
            throw ProblemException.conflict("anonymous-id-linked", "anonymousId",
                    "This anonymous id already belongs to another customer");
        }
        return customer;
    }

    private Uni<UUID> mergeAttributes(UUID customer, IdentifyInput input) {
        if (input.attributes() == null || input.attributes().isEmpty()) {
            return Uni.createFrom().item(customer);
        }
        return customerService.patch(customer, mapper.valueToTree(Map.of("attributes", input.attributes())), null)
                .replaceWith(customer);
    }

    private Uni<IdentifyInput.Result> link(SqlConnection conn, String anonymousId, UUID customer) {
        return customers.lockForEvents(conn, Set.of(customer), Set.of())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("Customer", customer);
                    }
                    return conn.preparedQuery(LINK).execute(Tuple.of(anonymousId, customer));
                })
                .flatMap(inserted -> linkedTo(conn, anonymousId).map(linked -> {
                    check(new IdentifyInput(anonymousId, customer, null, null), customer, linked);
                    return inserted.rowCount() == 0;
                }))
                .flatMap(already -> conn.preparedQuery(MOVE).execute(Tuple.of(anonymousId, customer)).flatMap(moved -> {
                    List<OffsetDateTime> times = new java.util.ArrayList<>();
                    moved.forEach(r -> times.add(r.getOffsetDateTime(0)));
                    Uni<Void> touched = times.isEmpty() ? Uni.createFrom().voidItem()
                            : customers.touchLastActive(conn, times.stream().map(t -> customer).toArray(UUID[]::new),
                                    times.toArray(OffsetDateTime[]::new));
                    return touched.map(v -> new IdentifyInput.Result(customer, anonymousId, times.size(), already));
                }));
    }

    private Uni<UUID> linkedTo(SqlConnection conn, String anonymousId) {
        return conn.preparedQuery(LINKED).execute(Tuple.of(anonymousId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }
}
