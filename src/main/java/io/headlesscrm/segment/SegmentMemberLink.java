package io.headlesscrm.segment;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * segment_member as HQL sees it, read-only: just enough for the customer list's segment filter to be a subquery of
 * the same query. Memberships are written with SQL by the upkeep.
 */
@Entity
@Immutable
@Table(name = "segment_member")
@IdClass(SegmentMemberLink.Key.class)
public class SegmentMemberLink {

    @Id
    @Column(name = "customer_id")
    UUID customerId;

    @Id
    @Column(name = "segment_id")
    UUID segmentId;

    @Column(name = "bucket_id")
    UUID bucketId;

    public record Key(UUID customerId, UUID segmentId) implements Serializable {
    }
}
