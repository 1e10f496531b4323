package io.headlesscrm.customer;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.customer.SegmentKeys.Membership;

/**
 * A customer list's filter as the HQL conditions of {@link CustomerRepository}'s keyset queries over {@code Customer c}:
 * one filter, read the same way by the API's lists and by background jobs walking the customers it selects.
 */
final class CustomerFilterHql {

    private CustomerFilterHql() {
    }

    /**
     * A list's filter names a segment and bucket that exist, or is a 422 naming the parameter, as a segment's member
     * list answers for its bucket. A background job's stored filter is not refused: its segment may have gone since.
     */
    static void refuseUnknown(CustomerFilter f, Membership member) {
        if (member == null || member.segment() != null) {
            return;
        }
        throw ProblemException.validation(List.of(member.kind() == null
                ? new FieldError("segment", "no segment has the key '" + f.segment() + "'")
                : new FieldError("bucket", member.kind().equals("AUDIENCE") ? "an audience has no buckets"
                        : "must be one of [" + member.buckets() + "]")));
    }

    /** The keyset query {@code hql} (over {@code Customer c}) with the filter's conditions. */
    static KeysetQuery filtered(String hql, CustomerFilter f, Membership member) {
        KeysetQuery q = KeysetQuery.hql(hql);
        q.whereIf(f.type(), "c.type = ?").whereIf(f.externalId(), "c.externalId = ?")
                .whereIf(f.email() == null ? null : f.email().toLowerCase(Locale.ROOT), "lower(c.email) = ?")
                .whereIf(f.phone(), "c.phone = ?")
                .whereIf(f.createdFrom(), "c.createdAt >= ?").whereIf(f.createdTo(), "c.createdAt < ?");
        if (f.q() != null) {
            String like = "%" + likeEscape(f.q().toLowerCase(Locale.ROOT)) + "%";
            q.where("(lower(c.name) like ? escape '\\' or lower(c.email) like ? escape '\\' or c.phone like ? escape '\\')",
                    like, like, like);
        }
        tagConditions(q, f);
        if (member != null && member.segment() == null) {
            q.where("c.id is null"); // an unknown segment or bucket key matches nothing
        } else if (member != null) {
            String in = "c.id in (select m.customerId from SegmentMemberLink m where m.segmentId = ?";
            if (member.bucket() == null) {
                q.where(in + ")", member.segment());
            } else {
                q.where(in + " and m.bucketId = ?)", member.segment(), member.bucket());
            }
        }
        for (var attr : f.attributes().entrySet()) {
            // V12's customer_attribute_is, inlined by PostgreSQL: containment tests the GIN index serves
            q.where("cast(customer_attribute_is(c.attributes, ?, ?) as Boolean) = true", attr.getKey(), attr.getValue());
        }
        return q;
    }

    /** Live assignments of the listed tags to the row's customer, as an HQL subquery over CustomerTagLink. */
    private static final String TAGGED = "from CustomerTagLink a, Tag t where t.id = a.tagId and a.customerId = c.id"
            + " and (a.expiresAt is null or a.expiresAt > ?) and t.key in ?";

    private static void tagConditions(KeysetQuery q, CustomerFilter f) {
        Instant now = Instant.now();
        if (!f.tagsAll().isEmpty()) {
            q.where("(select count(*) " + TAGGED + ") = ?", now, f.tagsAll(), (long) f.tagsAll().size());
        }
        if (!f.tagsAny().isEmpty()) {
            q.where("exists (select 1 " + TAGGED + ")", now, f.tagsAny());
        }
        if (!f.tagsNone().isEmpty()) {
            q.where("not exists (select 1 " + TAGGED + ")", now, f.tagsNone());
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
