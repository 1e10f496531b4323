package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of a touchpoint's history: a status, when it happened (as reported) and when it was recorded. */
@Entity
@Table(name = "touchpoint_status_change")
public class TouchpointStatusChange {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "touchpoint_id")
    private UUID touchpointId;
    @Enumerated(EnumType.STRING)
    private TouchpointStatus status;
    private String reason;
    @Column(name = "occurred_at")
    private Instant occurredAt;
    @Column(name = "recorded_at")
    private Instant recordedAt;

    protected TouchpointStatusChange() {
    }

    TouchpointStatusChange(UUID touchpointId, TouchpointStatus status, String reason, Instant occurredAt, Instant now) {
        this.touchpointId = touchpointId;
        this.status = status;
        this.reason = reason;
        this.occurredAt = occurredAt;
        this.recordedAt = now;
    }

    /**
     * The status a touchpoint was created with, which is not stored: SUPPRESSED (with its reason) never changes, so a
     * touchpoint that is not SUPPRESSED was QUEUED; at its creation.
     */
    static TouchpointStatusChange first(Touchpoint t) {
        boolean suppressed = t.getStatus() == TouchpointStatus.SUPPRESSED;
        return new TouchpointStatusChange(t.getId(), suppressed ? TouchpointStatus.SUPPRESSED : TouchpointStatus.QUEUED,
                suppressed ? t.getStatusReason() : null, t.getCreatedAt(), t.getCreatedAt());
    }

    UUID getTouchpointId() {
        return touchpointId;
    }

    TouchpointStatus getStatus() {
        return status;
    }

    String getReason() {
        return reason;
    }

    Instant getOccurredAt() {
        return occurredAt;
    }

    Instant getRecordedAt() {
        return recordedAt;
    }
}
