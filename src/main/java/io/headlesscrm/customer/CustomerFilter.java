package io.headlesscrm.customer;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.error.ProblemException;

/**
 * Which customers a list returns; every part is optional and they combine with AND.
 *
 * @param q text contained (case-insensitively) in the name, email or phone
 * @param email the email exactly, case-insensitively; {@code phone}: the phone exactly
 * @param createdFrom inclusive lower bound of {@code createdAt}
 * @param createdTo exclusive upper bound of {@code createdAt}
 * @param attributes attribute name → value its text form must equal
 * @param segment a saved segment's key: members only; {@code bucket}: of this bucket of the dimension (a list
 *        refuses keys that name none: {@code CustomerRepository#page})
 * @param tagsAll tag keys the customer must all carry; {@code tagsAny}: at least one of; {@code tagsNone}: none
 *        of (expired assignments do not count; an unknown key matches nothing)
 */
@Schema(name = "CustomerFilter", description = "Which customers: every part is optional and they combine with AND, "
        + "as the customer list's query parameters do. tagsAll, tagsAny, tagsNone: tag keys carried (expired "
        + "assignments do not count; an unknown key matches nothing).")
public record CustomerFilter(CustomerType type, String q, String externalId,
        @Schema(description = "The email, exactly (case-insensitive)") String email,
        @Schema(description = "The phone, exactly (E.164)") String phone, Instant createdFrom, Instant createdTo,
        Map<String, String> attributes, Set<String> tagsAll, Set<String> tagsAny, Set<String> tagsNone,
        @Schema(description = "Key of a saved segment the customer is a member of (a list refuses an unknown key with "
                + "a 422; a job's filter whose segment has gone since matches nothing)") String segment,
        @Schema(description = "With a dimension's segment key: the bucket the customer is in (one of its buckets)")
        String bucket) {

    public static final CustomerFilter NONE = new CustomerFilter(null, null, null, null, null, null, null, Map.of(), null,
            null, null, null, null);

    public CustomerFilter {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        tagsAll = tagsAll == null ? Set.of() : Set.copyOf(tagsAll);
        tagsAny = tagsAny == null ? Set.of() : Set.copyOf(tagsAny);
        tagsNone = tagsNone == null ? Set.of() : Set.copyOf(tagsNone);
        q = q == null || q.isBlank() ? null : q.trim();
        email = email == null || email.isBlank() ? null : email.trim();
        phone = phone == null || phone.isBlank() ? null : phone.trim();
        if (bucket != null && segment == null) {
            throw ProblemException.badRequest("invalid-parameter", "bucket", "bucket filters a dimension: give its key "
                    + "as segment too");
        }
    }

    /** This filter narrowed to the members of a segment (and bucket). */
    public CustomerFilter withSegment(String key, String bucketKey) {
        return new CustomerFilter(type, q, externalId, email, phone, createdFrom, createdTo, attributes, tagsAll,
                tagsAny, tagsNone, key, bucketKey);
    }
}
