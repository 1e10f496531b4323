package io.headlesscrm.customer;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Customers for node(id:) and for other features' GraphQL types that point at them (the lead's customer). */
@ApplicationScoped
public class CustomerNodes {

    @Inject
    CustomerRepository repository;
    @Inject
    SecurityIdentity identity;

    /** The customers among {@code ids}, one statement for any number, contact details masked as for the customer query. */
    public Uni<List<CustomerView>> views(List<UUID> ids) {
        boolean contact = Permissions.granted(identity, Permissions.CUSTOMERS_READ_CONTACT);
        return Panache.withSession(() -> repository.list("id in ?1", ids)).map(customers -> customers.stream()
                .map(c -> contact ? CustomerView.of(c) : CustomerView.of(c).withContactMasked()).toList());
    }

    @Produces
    @ApplicationScoped
    NodeLoader customers() {
        return NodeLoader.of(Permissions.CUSTOMERS_READ, 0, this::views);
    }
}
