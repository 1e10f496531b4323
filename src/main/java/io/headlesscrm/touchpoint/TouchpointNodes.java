package io.headlesscrm.touchpoint;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Touchpoints for node(id:), with their history as the touchpoint query shows it: two statements for any number. */
@Dependent
class TouchpointNodes {

    @Produces
    @ApplicationScoped
    NodeLoader touchpoints(TouchpointRepository repository) {
        return NodeLoader.of(Permissions.TOUCHPOINTS_READ, 1, ids -> Panache.withSession(() -> repository
                .list("id in ?1", ids).flatMap(touchpoints -> touchpoints.isEmpty()
                        ? Uni.createFrom().item(List.<TouchpointView>of())
                        : repository.histories(touchpoints).map(history -> touchpoints.stream()
                                .map(t -> TouchpointView.of(t, history.getOrDefault(t.getId(), List.of()))).toList()))));
    }
}
