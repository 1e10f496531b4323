package io.headlesscrm.tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;

import io.headlesscrm.security.Actor;

/**
 * A bulk tag change over a customer filter, worked through in batches by {@link TagJobWorker}. Progress moves
 * only in the transaction that applies a batch, so it always says what has been applied.
 */
@Entity
@Table(name = "tag_job")
public class TagJob {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    @Enumerated(EnumType.STRING)
    private TagOperation operation;
    @Column(name = "tag_keys")
    private String[] tagKeys;
    @Enumerated(EnumType.STRING)
    private TagSource source;
    @Column(name = "expires_at")
    private Instant expiresAt;
    /** The customer filter, as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> filter;

    @Enumerated(EnumType.STRING)
    private TagJobStatus status;
    private Long total;
    private long processed;
    private long changed;
    /** The last customer id a committed batch covered. */
    @Column(name = "cursor_id")
    private UUID cursorId;
    private String error;

    @Column(name = "actor_type")
    private String actorType;
    @Column(name = "actor_id")
    private String actorId;
    @Column(name = "actor_name")
    private String actorName;
    @Column(name = "client_id")
    private String clientId;
    @Column(name = "request_id")
    private String requestId;

    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;

    protected TagJob() {
    }

    TagJob(TagOperation operation, List<String> tagKeys, TagSource source, Instant expiresAt,
            Map<String, Object> filter, Actor actor, String requestId) {
        this.operation = operation;
        this.tagKeys = tagKeys.toArray(String[]::new);
        this.source = source;
        this.expiresAt = expiresAt;
        this.filter = filter;
        this.status = TagJobStatus.QUEUED;
        this.actorType = actor.type();
        this.actorId = actor.id();
        this.actorName = actor.name();
        this.clientId = actor.clientId();
        this.requestId = requestId;
        this.createdAt = Instant.now();
    }

    /** Records a committed batch: customers up to {@code last} covered, {@code changedNow} assignments changed. */
    void advance(UUID last, int customers, int changedNow) {
        cursorId = last;
        processed += customers;
        changed += changedNow;
    }

    void finish(TagJobStatus outcome, String why) {
        status = outcome;
        error = why;
        finishedAt = Instant.now();
    }

    UUID getId() {
        return id;
    }

    TagOperation getOperation() {
        return operation;
    }

    List<String> getTagKeys() {
        return List.of(tagKeys);
    }

    TagSource getSource() {
        return source;
    }

    Instant getExpiresAt() {
        return expiresAt;
    }

    Map<String, Object> getFilter() {
        return filter;
    }

    TagJobStatus getStatus() {
        return status;
    }

    Long getTotal() {
        return total;
    }

    void setTotal(long total) {
        this.total = total;
    }

    long getProcessed() {
        return processed;
    }

    long getChanged() {
        return changed;
    }

    UUID getCursorId() {
        return cursorId;
    }

    String getError() {
        return error;
    }

    Actor getActor() {
        return new Actor(actorType, actorId, actorName, clientId);
    }

    String getRequestId() {
        return requestId;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    Instant getFinishedAt() {
        return finishedAt;
    }
}
