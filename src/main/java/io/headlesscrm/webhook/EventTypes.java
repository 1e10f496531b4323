package io.headlesscrm.webhook;

import java.util.List;

/**
 * The event types an endpoint can subscribe to. A filter is an exact type, {@code <group>.*} (every type of the
 * group) or {@code *}; one that matches no known type is refused, so a typo cannot subscribe to nothing.
 */
final class EventTypes {

    static final List<String> ALL = List.of("touchpoint.created", "touchpoint.status_changed", "customer.created",
            "customer.updated", "customer.deleted", "customer.erased", "customer.merged", "tag.assigned", "tag.removed", "segment.entered", "segment.exited",
            "campaign.run_started", "campaign.run_completed", "lead.created", "lead.assigned", "lead.status_changed");

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
