package io.headlesscrm.segment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;

/** Segments (either kind) for node(id:), with their buckets as the segment query shows them: one statement. */
@Dependent
class SegmentNodes {

    @Produces
    @ApplicationScoped
    NodeLoader segments(SegmentRepository repository) {
        return NodeLoader.of(Permissions.SEGMENTS_READ, 4, repository::findAll);
    }
}
