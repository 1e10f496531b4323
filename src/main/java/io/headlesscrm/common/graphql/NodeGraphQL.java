package io.headlesscrm.common.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.PageConfig;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Relay's refetch queries: any object by its id, one or many at once; each type's read permission still applies. */
@GraphQLApi
public class NodeGraphQL {

    @Inject
    NodeRegistry registry;
    @Inject
    PageConfig paging;

    @Authenticated
    @Query("node")
    @Description("The object with this id, of whatever type, or null when there is none. An object your roles may not "
            + "read is null with a Forbidden error, as its type's own query would answer.")
    public Uni<Node> node(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> registry.resolve(List.of(Ids.parse(id, "id")))).map(found -> {
            if (found.get(0) instanceof RuntimeException refused) {
                throw refused;
            }
            return (Node) found.get(0);
        });
    }

    @Authenticated
    @Query("nodes")
    @NonNull
    @Description("The objects with these ids (at most 100), in the same order; null where there is none. An object your "
            + "roles may not read is null too, with a Forbidden error for its place.")
    public Uni<List<Node>> nodes(@NonNull @Id List<@NonNull String> ids) {
        return Uni.createFrom().deferred(() -> {
            if (ids.size() > paging.maxLimit()) {
                throw ProblemException.badRequest("invalid-parameter", "ids", "'ids' holds at most " + paging.maxLimit()
                        + " ids");
            }
            List<UUID> parsed = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                parsed.add(Ids.parse(ids.get(i), "ids[" + i + "]"));
            }
            return registry.resolve(parsed);
        }).flatMap(found -> {
            List<Node> nodes = new ArrayList<>(found.size());
            RuntimeException refused = null;
            for (Object o : found) {
                nodes.add(o instanceof Node n ? n : null);
                refused = o instanceof RuntimeException r ? r : refused;
            }
            if (refused != null) {
                // the readable objects still come back; the error says why some places are empty
                return Uni.createFrom().failure(new GraphQLException(refused.getMessage(), nodes));
            }
            return Uni.createFrom().item(nodes);
        });
    }
}
