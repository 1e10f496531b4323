package io.headlesscrm.customer;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Which customers a list returns; every part is optional and they combine with AND.
 *
 * @param q text contained (case-insensitively) in the name, email or phone
 * @param createdFrom inclusive lower bound of {@code createdAt}
 * @param createdTo exclusive upper bound of {@code createdAt}
 * @param attributes attribute name → value its text form must equal
 * @param tagsAll tag keys the customer must all carry; {@code tagsAny}: at least one of; {@code tagsNone}: none
 *        of (expired assignments do not count; an unknown key matches nothing)
 */
@Schema(name = "CustomerFilter", description = "Which customers: every part is optional and they combine with AND, "
        + "as the customer list's query parameters do. tagsAll, tagsAny, tagsNone: tag keys carried (expired "
        + "assignments do not count; an unknown key matches nothing).")
public record CustomerFilter(CustomerType type, String q, String externalId, Instant createdFrom, Instant createdTo,
        Map<String, String> attributes, Set<String> tagsAll, Set<String> tagsAny, Set<String> tagsNone) {

    public static final CustomerFilter NONE = new CustomerFilter(null, null, null, null, null, Map.of(), null, null, null);

    public CustomerFilter {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        tagsAll = tagsAll == null ? Set.of() : Set.copyOf(tagsAll);
        tagsAny = tagsAny == null ? Set.of() : Set.copyOf(tagsAny);
        tagsNone = tagsNone == null ? Set.of() : Set.copyOf(tagsNone);
        q = q == null || q.isBlank() ? null : q.trim();
    }
}
