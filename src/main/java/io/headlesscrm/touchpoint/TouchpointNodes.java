package io.headlesscrm.touchpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Touchpoints for node(id:), with their history as the touchpoint query shows it: two statements for any number. */
@ApplicationScoped
public class TouchpointNodes implements NodeLoader {

    @Inject
    TouchpointRepository repository;
    @Inject
    SecurityIdentity identity;

    @Override
    public Uni<Map<UUID, Node>> load(List<UUID> ids) {
        return Panache.withSession(() -> repository.list("id in ?1", ids).flatMap(touchpoints -> {
            if (touchpoints.isEmpty()) {
                return Uni.createFrom().item(Map.<UUID, Node>of());
            }
            return repository.histories(touchpoints).map(history -> {
                Map<UUID, Node> byId = new HashMap<>();
                touchpoints.forEach(t -> byId.put(t.getId(), TouchpointView.of(t, history.getOrDefault(t.getId(), List.of()))));
                return byId;
            });
        }));
    }

    @Override
    public boolean readable() {
        return Permissions.granted(identity, Permissions.TOUCHPOINTS_READ);
    }

    @Override
    public String permission() {
        return Permissions.TOUCHPOINTS_READ;
    }

    @Override
    public int order() {
        return 1;
    }
}
