package io.headlesscrm.common.graphql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;

/**
 * Resolves ids of any type: asks each feature's {@link NodeLoader} in turn with the ids no earlier loader knew,
 * so a list of ids costs at most one statement per type, never one per id. An object the caller may not read
 * is not given out: its place holds the refusal the type's own query would have given.
 */
@ApplicationScoped
public class NodeRegistry {

    private final List<NodeLoader> loaders;
    private final PermissionCheck permissions;

    @Inject
    NodeRegistry(@Any Instance<NodeLoader> loaders, PermissionCheck permissions) {
        this.loaders = loaders.stream().sorted(Comparator.comparingInt(NodeLoader::order)).toList();
        this.permissions = permissions;
    }

    /** Per id, in order: its object, a {@link ForbiddenException} if the caller may not read it, or null. */
    public Uni<List<Object>> resolve(List<UUID> ids) {
        Uni<Map<UUID, Object>> found = Uni.createFrom().item(new HashMap<>());
        for (NodeLoader loader : loaders) {
            // one loader after the other: they may share the request's database session
            found = found.flatMap(known -> {
                List<UUID> rest = new ArrayList<>(new LinkedHashSet<>(ids));
                rest.removeAll(known.keySet());
                if (rest.isEmpty()) {
                    return Uni.createFrom().item(known);
                }
                return loader.load(rest).map(nodes -> {
                    boolean readable = !nodes.isEmpty() && permissions.granted(loader.permission());
                    nodes.forEach((id, node) -> known.put(id, readable ? node : refusal(loader)));
                    return known;
                });
            });
        }
        return found.map(known -> {
            List<Object> result = new ArrayList<>(ids.size());
            ids.forEach(id -> result.add(known.get(id)));
            return result;
        });
    }

    private static ForbiddenException refusal(NodeLoader loader) {
        // the same words as the refusal of the type's own query (see security/IdentityAugmentor)
        return new ForbiddenException("Forbidden: your roles do not allow '" + loader.permission() + "'");
    }
}
