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
import io.headlesscrm.webhook.EventRenderer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The touchpoint.created event of a touchpoint, rendered when the dispatcher first claims its message: the touchpoint
 * as it was created (QUEUED), and whom it reaches, with their contact details as they are then.
 */
@ApplicationScoped
class TouchpointCreatedRenderer implements EventRenderer {

    private static final String SELECT = "SELECT t.id, t.customer_id, t.channel, t.purpose, CAST(t.content AS text),"
            + " t.source, t.created_at, t.campaign_run_id, t.campaign_variant, c.external_id, c.name, c.email, c.phone"
            + " FROM touchpoint t JOIN customer c ON c.id = t.customer_id WHERE t.id = ANY($1)";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    @Override
    public String type() {
        return TouchpointService.CREATED;
    }

    @Override
    public Uni<Map<UUID, Object>> data(Collection<UUID> subjects) {
        return pool.preparedQuery(SELECT).execute(Tuple.of(subjects.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Object> data = new HashMap<>();
            for (Row r : rows) {
                Instant created = Rows.instant(r, 6);
                UUID customer = r.getUUID(1);
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("touchpoint", new TouchpointView(r.getUUID(0), customer, Channel.valueOf(r.getString(2)),
                        r.getString(3), content(r.getString(4)), TouchpointSource.valueOf(r.getString(5)),
                        TouchpointStatus.QUEUED, null, created, created, r.getUUID(7), r.getString(8), null));
                event.put("recipient", new TouchpointWriter.Recipient(customer, r.getString(9), r.getString(10),
                        r.getString(11), r.getString(12)));
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
