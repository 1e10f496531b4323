package io.headlesscrm.customer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.security.ContactMasking;
import io.vertx.mutiny.sqlclient.Row;

/** A customer as the API shows it. {@code version} is also the ETag. */
@Type("Customer")
@Schema(name = "Customer", description = "A customer profile")
public record CustomerView(
        @Id @NonNull @Schema(required = true, examples = "0193a6a2-5a4e-7b1c-9d2e-3f4a5b6c7d8e") UUID id,
        @Schema(examples = "crm-42") String externalId,
        @Schema(required = true) @NonNull CustomerType type,
        @NonNull @Schema(required = true, examples = "Ada Lovelace") String name,
        @Schema(examples = "ada@example.com") String email,
        @Schema(examples = "+14155550123") String phone,
        Instant registeredAt,
        Instant lastActiveAt,
        // GraphQL exposes attributes through a JSON-scalar resolver in CustomerGraphQL
        @Ignore @Schema(required = true, examples = "{\"tier\": \"gold\"}") Map<String, Object> attributes,
        @Schema(required = true) @NonNull Instant createdAt,
        @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(required = true, description = "Optimistic-locking version; send it back as If-Match", examples = "0") long version)
        implements Node {

    /** The columns {@link #of(Row)} reads, in order. */
    static final String COLUMNS = "id, external_id, type, name, email, phone, registered_at, last_active_at,"
            + " attributes, created_at, updated_at, version";

    static CustomerView of(Row r) {
        return new CustomerView(r.getUUID(0), r.getString(1), CustomerType.valueOf(r.getString(2)), r.getString(3),
                r.getString(4), r.getString(5), Rows.instant(r, 6), Rows.instant(r, 7), r.getJsonObject(8).getMap(),
                Rows.instant(r, 9), Rows.instant(r, 10), r.getLong(11));
    }

    static CustomerView of(Customer c) {
        return new CustomerView(c.getId(), c.getExternalId(), c.getType(), c.getName(), c.getEmail(), c.getPhone(),
                c.getRegisteredAt(), c.getLastActiveAt(), c.getAttributes(), c.getCreatedAt(), c.getUpdatedAt(),
                c.getVersion());
    }

    /** This customer with email and phone masked, for readers who may not see contact details. */
    CustomerView withContactMasked() {
        return new CustomerView(id, externalId, type, name, ContactMasking.email(email), ContactMasking.phone(phone),
                registeredAt, lastActiveAt, attributes, createdAt, updatedAt, version);
    }

    /** The entity tag (unquoted; JAX-RS quotes it): the version. */
    String etag() {
        return Long.toString(version);
    }
}
