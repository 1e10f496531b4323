package io.headlesscrm.touchpoint;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.customer.HeldRows;
import io.headlesscrm.customer.PersonalData;
import io.smallrye.mutiny.Uni;

/** A customer's consent per channel; it goes with the customer's row. */
@ApplicationScoped
public class ConsentPersonalData implements PersonalData {

    @Override
    public String section() {
        return "consents";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT channel, status, source, updated_at FROM customer_consent WHERE customer_id = ?1"
                + " ORDER BY channel", customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.count("SELECT count(*) FROM customer_consent WHERE customer_id = ?1", customerId);
    }
}
