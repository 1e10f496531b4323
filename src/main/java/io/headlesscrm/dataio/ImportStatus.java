package io.headlesscrm.dataio;

/**
 * An import's state: AWAITING_FILE (created) → UPLOADING → QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED. A
 * failed upload goes back to AWAITING_FILE, so the file can be sent again.
 */
public enum ImportStatus {
    AWAITING_FILE, UPLOADING, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
