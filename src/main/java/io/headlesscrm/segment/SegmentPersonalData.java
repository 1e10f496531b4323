package io.headlesscrm.segment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.smallrye.mutiny.Uni;

/**
 * A customer's segment memberships and their history of entries and exits. Memberships go with the customer's row;
 * the history, which segment trends count, is kept under a random id no one can link back to them.
 */
@ApplicationScoped
public class SegmentPersonalData implements PersonalData {

    @Override
    public String section() {
        return "segments";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.object(customerId,
                "memberships", "SELECT s.key AS segment, s.kind, b.key AS bucket, m.entered_at FROM segment_member m"
                        + " JOIN segment s ON s.id = m.segment_id JOIN segment_bucket b ON b.id = m.bucket_id"
                        + " WHERE m.customer_id = ?1 ORDER BY s.key",
                "changes", "SELECT c.segment_id, s.key AS segment, c.at, f.key AS from_bucket, t.key AS to_bucket,"
                        + " c.cause FROM segment_change c LEFT JOIN segment s ON s.id = c.segment_id"
                        + " LEFT JOIN segment_bucket f ON f.id = c.from_bucket LEFT JOIN segment_bucket t"
                        + " ON t.id = c.to_bucket WHERE c.customer_id = ?1 ORDER BY c.at, c.segment_id");
    }

    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("UPDATE segment_change SET customer_id = (SELECT gen_random_uuid())"
                + " WHERE customer_id = ?1", customerId)
                .call(changes -> HeldRows.changed("DELETE FROM segment_dirty WHERE customer_id = ?1", customerId))
                .flatMap(changes -> HeldRows.count("SELECT count(*) FROM segment_member WHERE customer_id = ?1",
                        customerId).map(members -> members + changes));
    }

    /** History moves (an entry both had at the same moment kept once); the survivor is evaluated again. */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return HeldRows.moved("DELETE FROM segment_change c USING segment_change x WHERE c.customer_id = ?1"
                + " AND x.customer_id = ?2 AND x.segment_id = c.segment_id AND x.at = c.at", from, into)
                .flatMap(twice -> HeldRows.moved("UPDATE segment_change SET customer_id = ?2 WHERE customer_id = ?1",
                        from, into))
                .call(changes -> HeldRows.changed("INSERT INTO segment_dirty (customer_id) VALUES (?1)", into));
    }
}
