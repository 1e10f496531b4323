package io.headlesscrm.event;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.customer.CustomerDeletionListener;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A deleted customer's events go with it (the event table has no foreign key to cascade through). */
@ApplicationScoped
public class EventDeletion implements CustomerDeletionListener {

    @Inject
    Pool pool;

    @Override
    public Uni<Void> customerDeleted(UUID customerId) {
        return pool.preparedQuery("DELETE FROM event WHERE customer_id = $1").execute(Tuple.of(customerId))
                .replaceWithVoid();
    }
}
