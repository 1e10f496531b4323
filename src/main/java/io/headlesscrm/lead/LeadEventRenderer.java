package io.headlesscrm.lead;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.webhook.EventRenderer;
import io.headlesscrm.webhook.EventTypes;
import io.smallrye.mutiny.Uni;

/**
 * lead.created, lead.assigned and lead.status_changed, rendered when the dispatcher first claims their messages
 * (whose subject is the history line, or for lead.created the lead, whose first line it implies):
 * {@code {"lead": the lead as it is then, "change": the history line}}.
 */
abstract class LeadEventRenderer implements EventRenderer {

    @Inject
    LeadRepository leads;

    @Override
    public Uni<Map<UUID, Object>> data(Collection<UUID> subjects) {
        return leads.changesWithLeads(subjects).map(Map::<UUID, Object>copyOf);
    }

    @ApplicationScoped
    static class Created extends LeadEventRenderer {
        @Override
        public String type() {
            return EventTypes.LEAD_CREATED;
        }
    }

    @ApplicationScoped
    static class Assigned extends LeadEventRenderer {
        @Override
        public String type() {
            return EventTypes.LEAD_ASSIGNED;
        }
    }

    @ApplicationScoped
    static class StatusChanged extends LeadEventRenderer {
        @Override
        public String type() {
            return EventTypes.LEAD_STATUS_CHANGED;
        }
    }
}
