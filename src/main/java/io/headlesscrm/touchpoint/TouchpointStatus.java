package io.headlesscrm.touchpoint;

import java.util.Collection;

/**
 * A touchpoint's lifecycle: QUEUED → SENT → DELIVERED → OPENED → CLICKED → CONVERTED along the way a reach goes
 * (a partner may skip steps: CLICKED implies OPENED), or FAILED (from QUEUED or SENT), or SUPPRESSED at creation
 * (consent or contact missing; final), or CANCELLED by the service while QUEUED (its lead closed before the reach:
 * final; what a partner reports afterwards, having sent it already, is kept in the history). Partners report every
 * status but QUEUED, SUPPRESSED and CANCELLED.
 */
public enum TouchpointStatus {
    QUEUED, SENT, DELIVERED, OPENED, CLICKED, CONVERTED, FAILED, SUPPRESSED, CANCELLED;

    /** What a reported status does to a touchpoint. */
    enum Outcome {
        /** The touchpoint moves on to it. */
        APPLIED,
        /** Already reported: nothing changes. */
        DUPLICATE,
        /** Earlier than where the touchpoint is (reported out of order): recorded in history, status unchanged. */
        LATE,
        /** Not possible from where the touchpoint is: rejected. */
        ILLEGAL
    }

    boolean reportable() {
        return this != QUEUED && this != SUPPRESSED && this != CANCELLED;
    }

    /**
     * The outcome of reporting {@code reported} for a touchpoint now {@code this}, whose history holds {@code seen}.
     * Failure is possible only before delivery; after a failure, a late SENT is history and anything further is
     * illegal; a suppressed touchpoint takes no report.
     */
    Outcome report(TouchpointStatus reported, Collection<TouchpointStatus> seen) {
        if (this == SUPPRESSED) {
            return Outcome.ILLEGAL;
        }
        if (seen.contains(reported)) {
            return Outcome.DUPLICATE;
        }
        if (this == CANCELLED) {
            return Outcome.LATE;
        }
        if (reported == FAILED) {
            return ordinal() <= SENT.ordinal() ? Outcome.APPLIED : Outcome.ILLEGAL;
        }
        if (this == FAILED) {
            return reported.ordinal() <= SENT.ordinal() ? Outcome.LATE : Outcome.ILLEGAL;
        }
        return reported.ordinal() > ordinal() ? Outcome.APPLIED : Outcome.LATE;
    }
}
