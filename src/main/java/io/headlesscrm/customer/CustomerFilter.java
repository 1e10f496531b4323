package io.headlesscrm.customer;

import java.time.Instant;
import java.util.Map;

/**
 * Which customers a list returns; every part is optional and they combine with AND.
 *
 * @param q text contained (case-insensitively) in the name, email or phone
 * @param createdFrom inclusive lower bound of {@code createdAt}
 * @param createdTo exclusive upper bound of {@code createdAt}
 * @param attributes attribute name → value its text form must equal
 */
public record CustomerFilter(CustomerType type, String q, String externalId, Instant createdFrom, Instant createdTo,
        Map<String, String> attributes) {

    public static final CustomerFilter NONE = new CustomerFilter(null, null, null, null, null, Map.of());

    public CustomerFilter {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        q = q == null || q.isBlank() ? null : q.trim();
    }
}
