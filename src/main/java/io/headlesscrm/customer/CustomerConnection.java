package io.headlesscrm.customer;

import java.util.List;

import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.headlesscrm.common.paging.PageInfo;

/** A Relay connection of customers; {@code totalCount} is resolved (one COUNT query) only when asked for. */
@Type("CustomerConnection")
public record CustomerConnection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo,
        @Ignore CustomerFilter filter) {

    @Type("CustomerEdge")
    public record Edge(@NonNull String cursor, @NonNull CustomerView node) {
    }
}
