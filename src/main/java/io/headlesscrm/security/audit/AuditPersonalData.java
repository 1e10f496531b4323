package io.headlesscrm.security.audit;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.CustomerAliases;
import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The audit entries about a customer, their tags and their consents. An erasure empties their changes (the values
 * were the customer's data) and keeps who did what to the id and when: the only update the audit log allows (V23).
 */
@ApplicationScoped
public class AuditPersonalData implements PersonalData {

    @Inject
    CustomerAliases aliases;

    /** The entries about the customer, or about a customer merged into them (an alias, V24). */
    private String about() {
        return " WHERE entity IN ('customer', 'customer-tag', 'customer-consent') AND split_part(entity_id, '/', 1)"
                + " = ANY(ARRAY(SELECT CAST(CAST(?1 AS uuid) AS text) UNION ALL SELECT CAST(a.id AS text) FROM ("
                + aliases.mergedInto("?1") + ") a(id)))";
    }

    @Override
    public String section() {
        return "auditEntries";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT id, occurred_at, actor_type, actor_id, actor_name, client_id, request_id, entity,"
                + " entity_id, action, changes FROM audit_log" + about() + " ORDER BY occurred_at, id", customerId);
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        // the transaction says it is erasing: the audit log's trigger refuses any other update
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT set_config('crm.erasing', 'audit_log',"
                + " true)", String.class).getSingleResult())
                .flatMap(v -> HeldRows.changed("UPDATE audit_log SET changes = '{}'::jsonb" + about()
                        + " AND changes <> '{}'::jsonb", customerId));
    }

    /**
     * Entries about something else that mention them (an export's or a bulk tag job's filter naming their email):
     * read through the partial index of such entries (V26), redacted in place.
     */
    @Override
    public Uni<Long> redact(List<String> values) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT set_config('crm.erasing', 'audit_log',"
                + " true)", String.class).getSingleResult())
                .flatMap(v -> HeldRows.redacted("UPDATE audit_log SET changes = redact_jsonb(changes, CAST(?1 AS"
                        + " text[])) WHERE entity NOT IN ('customer', 'customer-tag', 'customer-consent')"
                        + " AND mentions(changes, CAST(?1 AS text[]))", values));
    }

    /** Nothing moves: the merged-away id's entries are history, found through its alias (above). */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return Uni.createFrom().item(0L);
    }
}
