package io.headlesscrm.campaign;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/**
 * The campaign runs that considered a customer and the conversions credited to them. Recipients go with the
 * customer's row (V14); conversions, which campaign reports count, are kept under a random id no one can link back
 * to them; goal events not yet credited are deleted.
 */
@ApplicationScoped
public class CampaignPersonalData implements PersonalData {

    @Override
    public String section() {
        return "campaigns";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.object(customerId,
                "recipients", "SELECT u.campaign_id, c.name AS campaign, r.run_id, r.entry_at, r.outcome, r.variant,"
                        + " r.reason, r.due_at, r.touchpoint_id, r.decided_at, r.converted_at FROM campaign_recipient r"
                        + " JOIN campaign_run u ON u.id = r.run_id JOIN campaign c ON c.id = u.campaign_id"
                        + " WHERE r.customer_id = ?1 ORDER BY r.decided_at, r.run_id",
                "conversions", "SELECT run_id, occurred_at, event_id, touchpoint_id FROM campaign_conversion"
                        + " WHERE customer_id = ?1 ORDER BY occurred_at, run_id");
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("UPDATE campaign_conversion SET customer_id = (SELECT gen_random_uuid())"
                + " WHERE customer_id = ?1", customerId)
                .call(conversions -> HeldRows.changed("DELETE FROM campaign_goal_event WHERE customer_id = ?1", customerId))
                .flatMap(conversions -> HeldRows.count("SELECT count(*) FROM campaign_recipient WHERE customer_id = ?1",
                        customerId).map(recipients -> recipients + conversions));
    }

    /** A run that considered both keeps the survivor's decision; the rest moves. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("UPDATE campaign_recipient r SET customer_id = ?2 WHERE r.customer_id = ?1 AND NOT EXISTS"
                + " (SELECT 1 FROM campaign_recipient x WHERE x.run_id = r.run_id AND x.customer_id = ?2"
                + " AND x.entry_at = r.entry_at)", from, into)
                .flatMap(recipients -> HeldRows.moved("UPDATE campaign_conversion c SET customer_id = ?2"
                        + " WHERE c.customer_id = ?1 AND NOT EXISTS (SELECT 1 FROM campaign_conversion x"
                        + " WHERE x.customer_id = ?2 AND x.occurred_at = c.occurred_at AND x.event_id = c.event_id)",
                        from, into).map(conversions -> recipients + conversions))
                .call(moved -> HeldRows.moved("UPDATE campaign_goal_event SET customer_id = ?2 WHERE customer_id = ?1",
                        from, into));
    }
}
