package io.headlesscrm.customer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The suppression list: salted hashes (V23's {@code suppression_hash}) of erased customers' email, phone and external
 * id. A create, an upsert or an import row carrying one is refused until an admin lifts it. All statements run in
 * the caller's Hibernate Reactive session.
 */
@ApplicationScoped
public class Suppressions {

    static final String ENTITY = "suppression";

    @Inject
    AuditLog audit;

    /** One contact value as it is compared: emails lower-cased and trimmed, phones and external ids as stored. */
    public record Value(String field, String value) {

        static Value email(String email) {
            return new Value("email", email.trim().toLowerCase(Locale.ROOT));
        }
    }

    /** The values a customer's external id, email and phone are checked and suppressed as; absent ones are left out. */
    public static List<Value> of(String externalId, String email, String phone) {
        List<Value> values = new ArrayList<>(3);
        if (externalId != null && !externalId.isBlank()) {
            values.add(new Value("externalId", externalId));
        }
        if (email != null && !email.isBlank()) {
            values.add(Value.email(email));
        }
        if (phone != null && !phone.isBlank()) {
            values.add(new Value("phone", phone));
        }
        return values;
    }

    /** The values {@code input} gives that {@code current} (null for a new customer) does not already have. */
    public static List<Value> introduced(Customer current, CustomerInput input) {
        List<Value> had = current == null ? List.of()
                : of(current.getExternalId(), current.getEmail(), current.getPhone());
        return of(input.externalId(), input.email(), input.phone()).stream().filter(v -> !had.contains(v)).toList();
    }

    private static final String SUPPRESSED = "SELECT v.field, v.value FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[]))"
            + " AS v(field, value) WHERE EXISTS (SELECT 1 FROM suppression)" // once per statement: no hashing while empty
            + " AND EXISTS (SELECT 1 FROM suppression s WHERE s.hash = suppression_hash(v.field, v.value))";

    /** Those of {@code values} that are suppressed. */
    public Uni<Set<Value>> suppressed(Collection<Value> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery(SUPPRESSED, Object[].class)
                .setParameter(1, values.stream().map(Value::field).toArray(String[]::new))
                .setParameter(2, values.stream().map(Value::value).toArray(String[]::new)).getResultList())
                .map(rows -> {
                    Set<Value> found = new HashSet<>();
                    rows.forEach(r -> found.add(new Value((String) r[0], (String) r[1])));
                    return found;
                });
    }

    /** Fails with a 409 customer-suppressed when any of {@code values} is suppressed. */
    public Uni<Void> check(Collection<Value> values) {
        return suppressed(values).map(found -> {
            if (!found.isEmpty()) {
                throw new ProblemException(409, "customer-suppressed", "Suppressed contact data",
                        "An erased customer had this contact data; an admin can lift its suppression",
                        found.stream().map(Suppressions::error).toList());
            }
            return null;
        });
    }

    /** Why a value is refused, as a field error (the API's and an import row's). */
    public static FieldError error(Value value) {
        return new FieldError(value.field(), "belonged to an erased customer and is suppressed;"
                + " an admin can lift it (POST /api/v1/suppressions/lift)");
    }

    /** Puts an erased customer's values on the list. */
    public Uni<Void> add(UUID erasedId, Collection<Value> values, Instant at) {
        if (values.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO suppression (hash, kind, customer_id,"
                + " created_at) SELECT suppression_hash(v.field, v.value), v.field, ?3, ?4 FROM unnest(CAST(?1 AS text[]),"
                + " CAST(?2 AS text[])) AS v(field, value) ON CONFLICT (hash) DO NOTHING")
                .setParameter(1, values.stream().map(Value::field).toArray(String[]::new))
                .setParameter(2, values.stream().map(Value::value).toArray(String[]::new))
                .setParameter(3, erasedId).setParameter(4, at).executeUpdate()).replaceWithVoid();
    }

    /** Takes {@code values} off the list, audited (by hash: the audit log must not hold the value); the fields that were on it. */
    public Uni<List<String>> lift(Collection<Value> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM suppression WHERE hash IN (SELECT"
                + " suppression_hash(v.field, v.value) FROM unnest(CAST(?1 AS text[]), CAST(?2 AS text[])) AS v(field, value))"
                + " RETURNING hash, kind, customer_id", Object[].class)
                .setParameter(1, values.stream().map(Value::field).toArray(String[]::new))
                .setParameter(2, values.stream().map(Value::value).toArray(String[]::new)).getResultList())
                .call(rows -> {
                    Uni<Void> audited = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        audited = audited.call(() -> audit.deleted(ENTITY, r[0],
                                Map.of("field", r[1], "erasedCustomerId", r[2].toString())));
                    }
                    return audited;
                })
                .map(rows -> rows.stream().map(r -> (String) r[1]).toList());
    }
}
