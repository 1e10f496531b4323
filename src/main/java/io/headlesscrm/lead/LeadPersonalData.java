package io.headlesscrm.lead;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.headlesscrm.customer.CustomerSql;
import io.smallrye.mutiny.Uni;

/** A customer's leads with their history; they, the customer's partial matches and queued events go with the customer's row (V19). */
@ApplicationScoped
public class LeadPersonalData implements PersonalData {

    @Override
    public String section() {
        return "leads";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT l.id, l.rule_key, l.rule_version, l.type, l.priority, l.score, l.status,"
                + " l.assignee, l.trace, l.triggered_at, l.created_at, l.updated_at, l.expires_at, (SELECT"
                + " coalesce(json_agg(json_strip_nulls(json_build_object('at', h.at, 'fromStatus', h.from_status,"
                + " 'toStatus', h.to_status, 'assignee', h.assignee, 'actorType', h.actor_type, 'actorId', h.actor_id,"
                + " 'note', h.note)) ORDER BY h.at, h.id), '[]') FROM lead_history h WHERE h.customer_id = l.customer_id"
                + " AND h.lead_id = l.id) AS history FROM lead l WHERE l.customer_id = ?1 ORDER BY l.created_at, l.id",
                customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        // a pull that stopped right after them goes on after the customer before them (the nil id: none), the same place
        return HeldRows.changed("UPDATE lead_pull SET after_customer = " + CustomerSql.BEFORE
                + " WHERE after_customer = ?1", customerId)
                .flatMap(v -> HeldRows.count("SELECT count(*) FROM lead WHERE customer_id = ?1", customerId));
    }

    /**
     * Leads and their history move; one that would repeat a survivor's lead (same rule and trigger) keeps its own key
     * with a note. Partial matches and queued events go with the merged-away customer's row.
     */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("UPDATE lead l SET dedup_key = left(l.dedup_key || ' merged from '"
                + " || CAST(CAST(?1 AS uuid) AS text), 200) WHERE l.customer_id = ?1 AND EXISTS (SELECT 1 FROM lead x"
                + " WHERE x.customer_id = ?2 AND x.rule_id = l.rule_id AND x.dedup_key = l.dedup_key)", from, into)
                // one statement: the history's foreign key to its lead is checked at its end
                .flatMap(renamed -> HeldRows.moved("WITH h AS (UPDATE lead_history SET customer_id = ?2"
                        + " WHERE customer_id = ?1) UPDATE lead SET customer_id = ?2 WHERE customer_id = ?1", from, into));
    }
}
