package io.headlesscrm.dataio;

/** An export's state: QUEUED → RUNNING → SUCCEEDED (its file downloadable) → EXPIRED (deleted); or FAILED, CANCELLED. */
public enum ExportStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

    boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
