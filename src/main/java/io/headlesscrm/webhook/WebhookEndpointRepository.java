package io.headlesscrm.webhook;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, UUID> {

    /** Oldest first (ids grow with time), {@code limit} endpoints after {@code cursor} (null: from the first). */
    Uni<List<WebhookEndpoint>> page(Cursor cursor, int limit) {
        if (cursor == null) {
            return find("order by id").range(0, limit - 1).list();
        }
        return find("id > :id order by id", Parameters.with("id", cursor.id())).range(0, limit - 1).list();
    }
}
