package io.headlesscrm.tag;

import java.time.Instant;

import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.vertx.mutiny.sqlclient.Row;

/** A tag a customer carries: the definition's key, name, category and color, and the assignment's details. */
@Type("CustomerTag")
@Schema(name = "CustomerTag", description = "A tag assigned to a customer")
public record CustomerTagView(
        @NonNull @Schema(required = true, examples = "vip") String key,
        @NonNull @Schema(required = true, examples = "VIP") String name,
        String category,
        String color,
        @Schema(required = true) @NonNull TagSource source,
        @NonNull @Schema(required = true, description = "The actor that assigned it (type:id)") String assignedBy,
        @Schema(required = true) @NonNull Instant assignedAt,
        @Schema(description = "When the assignment lapses; absent: never") Instant expiresAt) {

    /** The columns {@link #of(Row)} reads, from customer_tag a joined with tag t. */
    static final String COLUMNS = "t.key, t.name, t.category, t.color, a.source, a.assigned_by, a.assigned_at, a.expires_at";

    static CustomerTagView of(Row r) {
        return new CustomerTagView(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                TagSource.valueOf(r.getString(4)), r.getString(5), Rows.instant(r, 6), Rows.instant(r, 7));
    }
}
