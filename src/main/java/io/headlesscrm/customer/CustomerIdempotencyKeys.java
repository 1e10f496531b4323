package io.headlesscrm.customer;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/** The idempotency keys of the requests that created a customer: they name the customer, so an erasure deletes them. */
@ApplicationScoped
public class CustomerIdempotencyKeys implements PersonalData {

    private static final String OF = " FROM idempotency_key WHERE scope = '" + CustomerService.IDEMPOTENCY_SCOPE
            + "' AND resource_id = ?1";

    @Override
    public String section() {
        return "idempotencyKeys";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT key, created_at" + OF, customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("DELETE" + OF, customerId);
    }

    /** A repeat of the request that created the merged-away customer answers the survivor. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("UPDATE idempotency_key SET resource_id = ?2 WHERE scope = '"
                + CustomerService.IDEMPOTENCY_SCOPE + "' AND resource_id = ?1", from, into);
    }
}
