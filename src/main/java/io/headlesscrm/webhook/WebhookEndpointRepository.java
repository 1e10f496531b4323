package io.headlesscrm.webhook;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, UUID> {

    /** Oldest first (ids grow with time), {@code limit} endpoints after {@code cursor} (null: from the first). */
    Uni<List<WebhookEndpoint>> page(Cursor cursor, int limit) {
        KeysetQuery q = KeysetQuery.hql("from WebhookEndpoint").page(WebhookEndpointService.KEYSET, cursor, limit);
        return find(q.query(), q.named()).range(0, q.fetch() - 1).list();
    }
}
