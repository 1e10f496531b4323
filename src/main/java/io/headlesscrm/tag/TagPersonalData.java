package io.headlesscrm.tag;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import jakarta.inject.Inject;
import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.headlesscrm.customer.CustomerSql;
import io.smallrye.mutiny.Uni;

/** A customer's tag assignments; they go with the customer's row (and the tag cache after it, TagCache). */
@ApplicationScoped
public class TagPersonalData implements PersonalData {

    @Inject
    TagCache cache;

    @Override
    public String section() {
        return "tags";
    }

    @Override
    public Uni<JsonNode> held(UUID customerId) {
        return HeldRows.rows("SELECT t.key AS tag, ct.source, ct.assigned_by, ct.assigned_at, ct.expires_at"
                + " FROM customer_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.customer_id = ?1 ORDER BY t.key",
                customerId);
    }

    /** A bulk tag job whose cursor stopped at them goes on after the customer before them (the same place). */
    @Override
    public Uni<Long> erase(UUID customerId) {
        return HeldRows.changed("UPDATE tag_job SET cursor_id = " + CustomerSql.BEFORE + " WHERE cursor_id = ?1",
                customerId).flatMap(v -> HeldRows.count("SELECT count(*) FROM customer_tag WHERE customer_id = ?1",
                customerId));
    }

    /** Bulk tag jobs whose filter names them (their email, say): the job and its counts stay. */
    @Override
    public Uni<Long> redact(List<String> values) {
        return HeldRows.redacted("UPDATE tag_job SET filter = redact_jsonb(filter, CAST(?1 AS text[]))"
                + " WHERE mentions(filter, CAST(?1 AS text[]))", values);
    }

    /** The survivor's assignments stay as they are; the others are added (and the survivor's cached set dropped). */
    @Override
    public Uni<Long> merge(UUID from, UUID into) {
        return AfterCommit.call(() -> cache.invalidate(List.of(into))).flatMap(v -> HeldRows.moved("INSERT INTO"
                + " customer_tag (customer_id, tag_id, source, assigned_by, assigned_at, expires_at) SELECT ?2, tag_id,"
                + " source, assigned_by, assigned_at, expires_at FROM customer_tag WHERE customer_id = ?1"
                + " ON CONFLICT (customer_id, tag_id) DO NOTHING", from, into));
    }
}
