package io.headlesscrm.touchpoint;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/** A customer's touchpoints, content and status history included; they go with the customer's row. */
@ApplicationScoped
public class TouchpointPersonalData implements PersonalData {

    @Override
    public String section() {
        return "touchpoints";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT t.id, t.channel, t.purpose, t.content, t.source, t.status, t.status_reason,"
                + " t.created_at, t.updated_at, t.campaign_run_id, t.campaign_variant, t.lead_id, (SELECT"
                + " coalesce(json_agg(json_strip_nulls(json_build_object('status', h.status, 'reason', h.reason,"
                + " 'occurredAt', h.occurred_at, 'recordedAt', h.recorded_at)) ORDER BY h.id), '[]') FROM touchpoint_status_change h"
                + " WHERE h.touchpoint_id = t.id) AS history FROM touchpoint t WHERE t.customer_id = ?1"
                + " ORDER BY t.created_at, t.id", customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.count("SELECT count(*) FROM touchpoint WHERE customer_id = ?1", customerId);
    }

    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("UPDATE touchpoint SET customer_id = ?2 WHERE customer_id = ?1", from, into);
    }
}
