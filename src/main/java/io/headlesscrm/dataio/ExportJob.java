package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.headlesscrm.security.Actor;

/**
 * An export job. Its cursor and counters move only in the transaction that writes a chunk of its file, so a resumed
 * export writes each customer once. Whether contact fields are masked is decided when it is created, by who asked.
 */
@Entity
@Table(name = "export_job")
class ExportJob extends DataJob {

    String[] fields;
    boolean tags;
    String[] buckets;
    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> filter;
    boolean masked;

    @Enumerated(EnumType.STRING)
    ExportStatus status;
    @Column(name = "cursor_id")
    UUID cursorId;
    @Column(name = "rows_written")
    long rows;
    int chunks;
    long bytes;
    @Column(name = "expires_at")
    Instant expiresAt;

    @Embedded
    Requester requester;

    protected ExportJob() {
    }

    ExportJob(ExportDefinition definition, Map<String, Object> filter, boolean masked, Actor actor, String requestId) {
        super(definition.format());
        this.requester = new Requester(actor, requestId);
        this.fields = definition.fieldsOrDefault().toArray(String[]::new);
        this.tags = Boolean.TRUE.equals(definition.tags());
        this.buckets = definition.buckets() == null ? new String[0] : definition.buckets().toArray(String[]::new);
        this.filter = filter;
        this.masked = masked;
        this.status = ExportStatus.QUEUED;
    }

    void finish(ExportStatus outcome, String why) {
        status = outcome;
        finished(why);
    }
}
