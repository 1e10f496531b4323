package io.headlesscrm.lead;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Leads for node(id:): one statement for any number. */
@ApplicationScoped
public class LeadNodes implements NodeLoader {

    @Inject
    LeadRepository repository;
    @Inject
    SecurityIdentity identity;

    @Override
    public Uni<Map<UUID, Node>> load(List<UUID> ids) {
        return repository.findAll(ids).map(views -> {
            Map<UUID, Node> byId = new HashMap<>();
            views.forEach(v -> byId.put(v.id(), v));
            return byId;
        });
    }

    @Override
    public boolean readable() {
        return Permissions.granted(identity, Permissions.LEADS_READ);
    }

    @Override
    public String permission() {
        return Permissions.LEADS_READ;
    }

    @Override
    public int order() {
        return 6;
    }
}
