package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.id.uuid.UuidVersion7Strategy;
import org.hibernate.type.SqlTypes;

/** One reach of one customer on one channel. Its status changes only under a row lock (see TouchpointService). */
@Entity
public class Touchpoint {

    // assigned on creation (time-ordered, version 7): new touchpoints are inserted in one statement, not persisted
    @Id
    private UUID id;
    @Column(name = "customer_id")
    private UUID customerId;
    @Enumerated(EnumType.STRING)
    private Channel channel;
    private String purpose;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> content;
    @Enumerated(EnumType.STRING)
    private TouchpointSource source;
    @Enumerated(EnumType.STRING)
    private TouchpointStatus status;
    @Column(name = "status_reason")
    private String statusReason;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "campaign_run_id")
    private UUID campaignRunId;
    @Column(name = "campaign_variant")
    private String campaignVariant;
    @Column(name = "lead_id")
    private UUID leadId;

    protected Touchpoint() {
    }

    Touchpoint(TouchpointInput in, Map<String, Object> content, TouchpointStatus status, String reason, Instant now) {
        this.id = newId();
        this.customerId = in.customerId();
        this.channel = in.channel();
        this.purpose = in.purpose();
        this.content = content;
        this.source = in.source() == null ? TouchpointSource.MANUAL : in.source();
        this.status = status;
        this.statusReason = reason;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new touchpoint's id: time-ordered (UUIDv7), so new rows land at the end of the primary-key index. */
    static UUID newId() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }

    void moveTo(TouchpointStatus next, String reason, Instant now) {
        status = next;
        statusReason = reason;
        updatedAt = now;
    }

    UUID getId() {
        return id;
    }

    UUID getCustomerId() {
        return customerId;
    }

    Channel getChannel() {
        return channel;
    }

    String getPurpose() {
        return purpose;
    }

    Map<String, Object> getContent() {
        return content;
    }

    TouchpointSource getSource() {
        return source;
    }

    TouchpointStatus getStatus() {
        return status;
    }

    String getStatusReason() {
        return statusReason;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    UUID getCampaignRunId() {
        return campaignRunId;
    }

    String getCampaignVariant() {
        return campaignVariant;
    }

    UUID getLeadId() {
        return leadId;
    }
}
