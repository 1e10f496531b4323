package io.headlesscrm.lead;

import java.util.List;
import java.util.Set;

/**
 * A lead's lifecycle: NEW → ASSIGNED → CONTACTED → QUALIFIED → CONVERTED, or DISQUALIFIED from any open status, or
 * (by the service) CONVERTED_NATURALLY while unworked (NEW or ASSIGNED) and EXPIRED while open. An assigned lead
 * may be assigned again (to another rep).
 */
public enum LeadStatus {
    NEW, ASSIGNED, CONTACTED, QUALIFIED, CONVERTED, DISQUALIFIED, CONVERTED_NATURALLY, EXPIRED;

    static final List<LeadStatus> OPEN = List.of(NEW, ASSIGNED, CONTACTED, QUALIFIED);
    /** Not worked yet: a conversion by the customer themselves closes it. */
    static final List<LeadStatus> UNWORKED = List.of(NEW, ASSIGNED);
    /** What a person or partner may report (assignment has its own operation). */
    static final Set<LeadStatus> REPORTABLE = Set.of(CONTACTED, QUALIFIED, CONVERTED, DISQUALIFIED);
    /** Closing without the rep's work: the lead's touchpoints still QUEUED are cancelled. */
    static final List<LeadStatus> CANCELS_REACH = List.of(CONVERTED_NATURALLY, DISQUALIFIED, EXPIRED);

    boolean open() {
        return OPEN.contains(this);
    }

    /** The statuses a lead may move to {@code to} from. */
    static List<LeadStatus> from(LeadStatus to) {
        return switch (to) {
            case NEW -> List.of();
            case ASSIGNED -> List.of(NEW, ASSIGNED);
            case CONTACTED -> List.of(ASSIGNED);
            case QUALIFIED -> List.of(CONTACTED);
            case CONVERTED -> List.of(QUALIFIED);
            case DISQUALIFIED, EXPIRED -> OPEN;
            case CONVERTED_NATURALLY -> UNWORKED;
        };
    }
}
