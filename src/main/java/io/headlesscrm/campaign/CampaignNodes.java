package io.headlesscrm.campaign;

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

/** Campaigns for node(id:): one statement for any number. */
@ApplicationScoped
public class CampaignNodes implements NodeLoader {

    @Inject
    CampaignRepository repository;
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
        return Permissions.granted(identity, Permissions.CAMPAIGNS_READ);
    }

    @Override
    public String permission() {
        return Permissions.CAMPAIGNS_READ;
    }

    @Override
    public int order() {
        return 5;
    }
}
