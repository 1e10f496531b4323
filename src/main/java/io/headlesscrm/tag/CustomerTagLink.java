package io.headlesscrm.tag;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * customer_tag as HQL sees it, read-only: just enough for the customer list's tag filters to be subqueries of
 * the same query. Assignments are written with SQL by {@link TagAssignments}.
 */
@Entity
@Immutable
@Table(name = "customer_tag")
@IdClass(CustomerTagLink.Key.class)
public class CustomerTagLink {

    @Id
    @Column(name = "customer_id")
    UUID customerId;

    @Id
    @Column(name = "tag_id")
    UUID tagId;

    @Column(name = "expires_at")
    Instant expiresAt;

    public record Key(UUID customerId, UUID tagId) implements Serializable {
    }
}
