package io.headlesscrm.tag;

/** A background tag job's state: QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED. */
public enum TagJobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
