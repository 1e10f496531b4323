package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.security.Actor;

/**
 * An import job. Its counters move only in the transaction that applies (and deletes) a chunk of its file, so they
 * always say what has been applied. Fields are package-private: only this package reads and writes them.
 */
@Entity
@Table(name = "import_job")
class ImportJob extends DataJob {

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
    @Column(name = "uploaded_at")
    Instant uploadedAt;

    @Embedded
    Requester requester;

    protected ImportJob() {
    }

    ImportJob(ImportDefinition definition, Actor actor, String requestId) {
        super(definition.format());
        this.requester = new Requester(actor, requestId);
        this.matchKey = definition.matchKey();
        this.mode = definition.mode();
        this.columns = definition.columns();
        this.webhooks = definition.sendsWebhooks();
        this.status = ImportStatus.AWAITING_FILE;
    }

    void finish(ImportStatus outcome, String why) {
        status = outcome;
        finished(why);
    }
}
