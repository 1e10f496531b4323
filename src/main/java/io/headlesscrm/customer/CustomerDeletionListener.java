package io.headlesscrm.customer;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Told after a customer's deletion commits, before the DELETE is answered: features that keep something per
 * customer outside PostgreSQL (the tag cache) drop it here, so no read after the answer sees it.
 */
public interface CustomerDeletionListener {

    Uni<Void> customerDeleted(UUID customerId);
}
