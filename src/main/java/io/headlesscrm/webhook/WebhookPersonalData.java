package io.headlesscrm.webhook;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/** The webhook messages about a customer (their bodies carry the customer's data) and, by their foreign key, their delivery attempts: deleted, delivered or not; the endpoints are told by customer.erased instead. */
@ApplicationScoped
public class WebhookPersonalData implements PersonalData {

    @Override
    public String section() {
        return "webhookMessages";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT id, endpoint_id, event_type, state, attempts, created_at, delivered_at,"
                + " CAST(body AS jsonb) AS body FROM webhook_message WHERE customer_id = ?1 ORDER BY created_at, id",
                customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("DELETE FROM webhook_message WHERE customer_id = ?1", customerId);
    }

    /** Messages about the merged-away customer are about the survivor now: an erasure of the survivor finds them. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("UPDATE webhook_message SET customer_id = ?2 WHERE customer_id = ?1", from, into);
    }
}
