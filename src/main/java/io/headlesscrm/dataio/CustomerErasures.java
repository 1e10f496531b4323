package io.headlesscrm.dataio;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The tombstones of erased customers (customer_erasure), read in the caller's Hibernate Reactive session. */
final class CustomerErasures {

    /** Erasures are audited as the customer's. */
    static final String ENTITY = "customer";

    private CustomerErasures() {
    }

    /** When the customer was erased; null when they never were. */
    static Uni<Instant> erasedAt(UUID id) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT erased_at FROM customer_erasure"
                + " WHERE id = ?1", OffsetDateTime.class).setParameter(1, id).getResultList())
                .map(at -> at.isEmpty() ? null : at.get(0).toInstant());
    }

    /**
     * Fails as the API answers a path's id that names no customer: 410 when they were erased, 308 when they were
     * merged into another (an alias), 404 otherwise.
     */
    static <T> Uni<T> absent(CustomerRepository customers, UUID id) {
        return erasedAt(id).flatMap(at -> {
            if (at != null) {
                throw erased(id, at);
            }
            return customers.missing(id);
        });
    }

    /** 410: the customer was erased. */
    static ProblemException erased(UUID id, Instant at) {
        return new ProblemException(410, "customer-erased", "Customer erased", "Customer " + id + " was erased at "
                + at + "; nothing of theirs is kept", List.of());
    }
}
