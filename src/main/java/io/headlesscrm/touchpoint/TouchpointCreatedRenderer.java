package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Rows;
import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.webhook.EventRenderer;
import io.headlesscrm.webhook.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The touchpoint.created event of a touchpoint, rendered when the dispatcher first claims its message: the touchpoint
 * as it was created (QUEUED), and whom it reaches, with their contact details as they are then. {@link Cancelled}
 * renders the touchpoint.status_changed events of touchpoints the service cancelled.
 */
@ApplicationScoped
class TouchpointCreatedRenderer implements EventRenderer {

    private static final String SELECT = "SELECT t.id, t.customer_id, t.channel, t.purpose, CAST(t.content AS text),"
            + " t.source, t.created_at, t.campaign_run_id, t.campaign_variant, c.external_id, c.name, c.email, c.phone,"
            + " t.lead_id, t.status, t.status_reason, t.updated_at"
            + " FROM touchpoint t JOIN " + CustomerSql.AS_C + " ON c.id = t.customer_id WHERE t.id = ANY($1)";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    @Override
    public String type() {
        return EventTypes.TOUCHPOINT_CREATED;
    }

    @Override
    public Uni<Map<UUID, Object>> data(Collection<UUID> subjects) {
        return rendered(subjects, true);
    }

    /**
     * touchpoint.status_changed of a touchpoint cancelled while QUEUED ({@link TouchpointSql#cancelled}): the only
     * status change written without a body, so its previous status is QUEUED; CANCELLED is final, so the touchpoint
     * rendered when the message is sent is the one cancelled.
     */
    @ApplicationScoped
    static class Cancelled implements EventRenderer {
        @Inject
        TouchpointCreatedRenderer renderer;

        @Override
        public String type() {
            return EventTypes.TOUCHPOINT_STATUS_CHANGED;
        }

        @Override
        public Uni<Map<UUID, Object>> data(Collection<UUID> subjects) {
            return renderer.rendered(subjects, false);
        }
    }

    /** created: the touchpoint as created, with its recipient; else as it is now, after QUEUED. */
    Uni<Map<UUID, Object>> rendered(Collection<UUID> subjects, boolean created) {
        return pool.preparedQuery(SELECT).execute(Tuple.of(subjects.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Object> data = new HashMap<>();
            for (Row r : rows) {
                Instant at = Rows.instant(r, 6);
                UUID customer = r.getUUID(1);
                TouchpointStatus status = created ? TouchpointStatus.QUEUED : TouchpointStatus.valueOf(r.getString(14));
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("touchpoint", new TouchpointView(r.getUUID(0), customer, Channel.valueOf(r.getString(2)),
                        r.getString(3), content(r.getString(4)), TouchpointSource.valueOf(r.getString(5)),
                        status, created ? null : r.getString(15), at, created ? at : Rows.instant(r, 16), r.getUUID(7),
                        r.getString(8), r.getUUID(13), null));
                if (created) {
                    event.put("recipient", new TouchpointWriter.Recipient(customer, r.getString(9), r.getString(10),
                            r.getString(11), r.getString(12)));
                } else {
                    event.put("previousStatus", TouchpointStatus.QUEUED);
                }
                data.put(r.getUUID(0), event);
            }
            return data;
        });
    }

    private Map<String, Object> content(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored touchpoint content is not JSON", e);
        }
    }
}
