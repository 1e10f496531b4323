package io.headlesscrm.campaign;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;

/** Campaigns for node(id:): one statement for any number. */
@Dependent
class CampaignNodes {

    @Produces
    @ApplicationScoped
    NodeLoader campaigns(CampaignRepository repository) {
        return NodeLoader.of(Permissions.CAMPAIGNS_READ, 5, repository::findAll);
    }
}
