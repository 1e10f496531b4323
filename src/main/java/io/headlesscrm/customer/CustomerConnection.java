package io.headlesscrm.customer;

import java.util.List;

import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.headlesscrm.common.paging.PageInfo;
import io.smallrye.mutiny.Uni;

/**
 * A Relay connection of customers; {@code totalCount} and {@code totalCountExact} share one bounded COUNT, run only
 * when one of them is asked for.
 */
@Type("CustomerConnection")
public record CustomerConnection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo,
        @Ignore Uni<Long> count) {

    @Type("CustomerEdge")
    public record Edge(@NonNull String cursor, @NonNull CustomerView node) {
    }
}
