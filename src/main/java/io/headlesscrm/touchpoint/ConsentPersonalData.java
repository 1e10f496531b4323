package io.headlesscrm.touchpoint;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
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

    /** The stricter consent wins: an opt-out of either is the survivor's. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("INSERT INTO customer_consent (customer_id, channel, status, source, updated_at)"
                + " SELECT ?2, channel, status, source, updated_at FROM customer_consent WHERE customer_id = ?1"
                + " ON CONFLICT (customer_id, channel) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,"
                + " updated_at = EXCLUDED.updated_at WHERE EXCLUDED.status = 'OPTED_OUT'"
                + " AND customer_consent.status <> 'OPTED_OUT'", from, into);
    }
}
