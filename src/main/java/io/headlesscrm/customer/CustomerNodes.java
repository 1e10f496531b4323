package io.headlesscrm.customer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Customers for node(id:): one statement for any number of ids, contact details masked as for the customer query. */
@ApplicationScoped
public class CustomerNodes implements NodeLoader {

    @Inject
    CustomerRepository repository;
    @Inject
    SecurityIdentity identity;

    @Override
    public Uni<Map<UUID, Node>> load(List<UUID> ids) {
        boolean contact = Permissions.granted(identity, Permissions.CUSTOMERS_READ_CONTACT);
        return Panache.withSession(() -> repository.list("id in ?1", ids)).map(customers -> {
            Map<UUID, Node> byId = new HashMap<>();
            customers.forEach(c -> byId.put(c.getId(), contact ? CustomerView.of(c) : CustomerView.of(c).withContactMasked()));
            return byId;
        });
    }

    @Override
    public boolean readable() {
        return Permissions.granted(identity, Permissions.CUSTOMERS_READ);
    }

    @Override
    public String permission() {
        return Permissions.CUSTOMERS_READ;
    }

    @Override
    public int order() {
        return 0;
    }
}
