package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.UuidGenerator;

/**
 * What an import and an export job both are: a file of some format someone asked for, started and finished at
 * some time, failed with an error or not. Each job keeps its own status (its own enum), counters and requester
 * (Hibernate's enhancer cannot dirty-check an embeddable declared in a mapped superclass).
 * Fields are package-private: only this package reads and writes them.
 */
@MappedSuperclass
abstract class DataJob {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    UUID id;

    @Enumerated(EnumType.STRING)
    FileFormat format;
    String error;

    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "finished_at")
    Instant finishedAt;

    protected DataJob() {
    }

    DataJob(FileFormat format) {
        this.format = format;
        this.createdAt = Instant.now();
    }

    /** Marks the job finished now, with {@code why} it failed (null when it did not). */
    void finished(String why) {
        error = why;
        finishedAt = Instant.now();
    }
}
