package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;

import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.security.Actor;

/**
 * An import job. Its counters move only in the transaction that applies (and deletes) a chunk of its file, so they
 * always say what has been applied. Fields are package-private: only this package reads and writes them.
 */
@Entity
@Table(name = "import_job")
class ImportJob {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    UUID id;

    @Enumerated(EnumType.STRING)
    FileFormat format;
    @Enumerated(EnumType.STRING)
    @Column(name = "match_key")
    CustomerBatch.MatchKey matchKey;
    @Enumerated(EnumType.STRING)
    CustomerBatch.Mode mode;
    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, String> columns;
    boolean webhooks;

    @Enumerated(EnumType.STRING)
    ImportStatus status;
    /** A CSV file's header, read when it was uploaded. */
    String[] header;
    /** Rows in the uploaded file; absent until it is. */
    Long total;
    @Column(name = "rows_read")
    long read;
    long created;
    long updated;
    long unchanged;
    long failed;
    String error;

    @Embedded
    Requester requester;

    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "uploaded_at")
    Instant uploadedAt;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "finished_at")
    Instant finishedAt;

    protected ImportJob() {
    }

    ImportJob(ImportDefinition definition, Actor actor, String requestId) {
        this.format = definition.format();
        this.matchKey = definition.matchKey();
        this.mode = definition.mode();
        this.columns = definition.columns();
        this.webhooks = definition.sendsWebhooks();
        this.status = ImportStatus.AWAITING_FILE;
        this.requester = new Requester(actor, requestId);
        this.createdAt = Instant.now();
    }

    void finish(ImportStatus outcome, String why) {
        status = outcome;
        error = why;
        finishedAt = Instant.now();
    }
}
