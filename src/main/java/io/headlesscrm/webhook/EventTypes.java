package io.headlesscrm.webhook;

import java.util.List;

/**
 * The event types webhooks carry, declared here once: a feature writes an event by its constant, and an endpoint
 * subscribes to these names. A filter is an exact type, {@code <group>.*} (every type of the group) or {@code *};
 * one that matches no known type is refused, so a typo cannot subscribe to nothing.
 */
public final class EventTypes {

    public static final String TOUCHPOINT_CREATED = "touchpoint.created";
    public static final String TOUCHPOINT_STATUS_CHANGED = "touchpoint.status_changed";
    public static final String CUSTOMER_CREATED = "customer.created";
    public static final String CUSTOMER_UPDATED = "customer.updated";
    public static final String CUSTOMER_DELETED = "customer.deleted";
    public static final String CUSTOMER_ERASED = "customer.erased";
    public static final String CUSTOMER_MERGED = "customer.merged";
    public static final String TAG_ASSIGNED = "tag.assigned";
    public static final String TAG_REMOVED = "tag.removed";
    public static final String SEGMENT_ENTERED = "segment.entered";
    public static final String SEGMENT_EXITED = "segment.exited";
    public static final String CAMPAIGN_RUN_STARTED = "campaign.run_started";
    public static final String CAMPAIGN_RUN_COMPLETED = "campaign.run_completed";
    public static final String LEAD_CREATED = "lead.created";
    public static final String LEAD_ASSIGNED = "lead.assigned";
    public static final String LEAD_STATUS_CHANGED = "lead.status_changed";

    /** Every type, in the order the endpoint documentation lists them. */
    static final List<String> ALL = List.of(TOUCHPOINT_CREATED, TOUCHPOINT_STATUS_CHANGED, CUSTOMER_CREATED,
            CUSTOMER_UPDATED, CUSTOMER_DELETED, CUSTOMER_ERASED, CUSTOMER_MERGED, TAG_ASSIGNED, TAG_REMOVED,
            SEGMENT_ENTERED, SEGMENT_EXITED, CAMPAIGN_RUN_STARTED, CAMPAIGN_RUN_COMPLETED, LEAD_CREATED, LEAD_ASSIGNED,
            LEAD_STATUS_CHANGED);

    private EventTypes() {
    }

    static boolean matches(String filter, String type) {
        if (filter.equals("*")) {
            return true;
        }
        return filter.endsWith(".*") ? type.startsWith(filter.substring(0, filter.length() - 1)) : filter.equals(type);
    }

    /** Whether the filter selects at least one known event type. */
    static boolean selectsAny(String filter) {
        return ALL.stream().anyMatch(type -> matches(filter, type));
    }
}
