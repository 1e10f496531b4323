package io.headlesscrm.common.graphql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/**
 * What a feature contributes to {@code node(id:)}: its own objects by id, read with its own SQL, and the permission
 * of the type's own query (the {@link NodeRegistry} refuses the objects to a caller without it). A feature produces
 * one with {@link #of}, so no feature writes the by-id bookkeeping again.
 */
public interface NodeLoader {

    /** The objects of this loader's type among {@code ids} (none of them known to be of another type), by id. */
    Uni<Map<UUID, Node>> load(List<UUID> ids);

    /** The permission the type's own query needs, such as {@code touchpoints:read}. */
    String permission();

    /** Loaders are asked in this order, the most often refetched types first. */
    int order();

    /** A loader whose {@code find} reads the objects among the ids (in any order, the unknown ones left out). */
    static NodeLoader of(String permission, int order, Function<List<UUID>, Uni<? extends List<? extends Node>>> find) {
        return new NodeLoader() {
            @Override
            public Uni<Map<UUID, Node>> load(List<UUID> ids) {
                return find.apply(ids).map(nodes -> {
                    Map<UUID, Node> byId = new HashMap<>();
                    nodes.forEach(node -> byId.put(node.id(), node));
                    return byId;
                });
            }

            @Override
            public String permission() {
                return permission;
            }

            @Override
            public int order() {
                return order;
            }
        };
    }
}
