package io.headlesscrm.segment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.customer.SegmentKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The segment package's answer to a customer list's segment filter ({@link SegmentKeys}): the ids its keys name,
 * looked up first so that, bound as values, the planner sees how many members they have and reads a small bucket
 * from the membership index rather than scanning customers.
 */
@ApplicationScoped
class SegmentKeyLookup implements SegmentKeys {

    private static final String SQL = "SELECT s.id, b.id, s.kind, (SELECT string_agg(a.key, ', ' ORDER BY a.position)"
            + " FROM segment_bucket a WHERE a.segment_id = s.id) FROM segment s LEFT JOIN segment_bucket b"
            + " ON b.segment_id = s.id AND b.key = ?2 AND s.kind = 'DIMENSION' WHERE s.key = ?1";

    @Override
    public Uni<Membership> membership(String segmentKey, String bucketKey) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(SQL, Object[].class).setParameter(1, segmentKey)
                .setParameter(2, bucketKey == null ? "" : bucketKey).getResultList()).map(rows -> {
                    if (rows.isEmpty()) {
                        return new Membership(null, null, null, null);
                    }
                    Object[] row = rows.get(0);
                    String kind = (String) row[2];
                    String buckets = (String) row[3];
                    return bucketKey != null && row[1] == null ? new Membership(null, null, kind, buckets)
                            : new Membership((UUID) row[0], bucketKey == null ? null : (UUID) row[1], kind, buckets);
                });
    }
}
