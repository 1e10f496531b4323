package io.headlesscrm.customer;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * What one feature holds about a customer, for a subject access request and for an erasure. Every feature that keeps
 * rows by customer implements it for its own tables, so the two requests cover every table without one class
 * reading all of them. Both methods run in the caller's Hibernate Reactive session (and transaction); {@link #erase}
 * runs before the customer's row is deleted, whose deletion then cascades to what is not removed here.
 */
public interface PersonalData {

    /** The section's name in the subject access document, e.g. {@code events}. */
    String section();

    /** Everything held about the customer, as JSON (an array of rows, or an object of such arrays). */
    Uni<JsonNode> held(UUID customerId);

    /**
     * Removes what the customer's deletion would not, or makes it unlinkable to them; the number of rows removed,
     * unlinked or about to go with the customer's row (the tombstone's counts).
     */
    Uni<Long> erase(UUID customerId);
}
