package io.headlesscrm.event;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/**
 * A customer's behaviour events and the anonymous ids linked to them. Events and links go with the customer's row
 * (V8); events recorded under a linked anonymous id and not moved yet are deleted here.
 */
@ApplicationScoped
public class EventPersonalData implements PersonalData {

    @Override
    public String section() {
        return "events";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.object(customerId,
                "recorded", "SELECT event_id, id, type, occurred_at, received_at, properties, items, context"
                        + " FROM event WHERE customer_id = ?1 ORDER BY occurred_at, event_id",
                "anonymousIds", "SELECT anonymous_id, linked_at FROM anonymous_identity WHERE customer_id = ?1"
                        + " ORDER BY linked_at");
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("DELETE FROM anonymous_event WHERE anonymous_id IN (SELECT anonymous_id"
                + " FROM anonymous_identity WHERE customer_id = ?1)", customerId)
                .flatMap(anonymous -> HeldRows.count("SELECT count(*) FROM event WHERE customer_id = ?1", customerId)
                        .map(events -> anonymous + events));
    }

    /** Events both were sent (the same event id at the same time) are kept once; anonymous ids follow. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("DELETE FROM event e USING event x WHERE e.customer_id = ?1 AND x.customer_id = ?2"
                + " AND x.occurred_at = e.occurred_at AND x.event_id = e.event_id", from, into)
                .flatMap(twice -> HeldRows.moved("UPDATE event SET customer_id = ?2 WHERE customer_id = ?1", from, into))
                .call(events -> HeldRows.moved("UPDATE anonymous_identity SET customer_id = ?2 WHERE customer_id = ?1",
                        from, into));
    }
}
