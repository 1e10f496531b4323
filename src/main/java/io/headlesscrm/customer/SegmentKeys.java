package io.headlesscrm.customer;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * What a customer list's segment filter names, answered by the segment package (this package does not read its
 * tables, nor depend on it): the ids of the segment and bucket keys, looked up before the list's query, in the
 * caller's Hibernate Reactive session.
 */
public interface SegmentKeys {

    /**
     * A filter's segment and bucket ids (bucket null: any); when its keys name none, null ids and, for the 422 that
     * names what a key should have been, the segment's kind (null: no such segment) and its bucket keys.
     */
    record Membership(UUID segment, UUID bucket, String kind, String buckets) {
    }

    /** The ids segment {@code segmentKey} and its bucket {@code bucketKey} (null: any bucket) name. */
    Uni<Membership> membership(String segmentKey, String bucketKey);
}
