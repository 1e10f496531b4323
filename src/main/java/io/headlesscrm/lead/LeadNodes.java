package io.headlesscrm.lead;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;

/** Leads for node(id:): one statement for any number. */
@Dependent
class LeadNodes {

    @Produces
    @ApplicationScoped
    NodeLoader leads(LeadRepository repository) {
        return NodeLoader.of(Permissions.LEADS_READ, 6, repository::findAll);
    }
}
