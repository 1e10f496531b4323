package io.headlesscrm.common.graphql;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * What a feature contributes to {@code node(id:)}: its own objects by id, read with its own SQL, and whether the
 * caller may read them (the permission of the type's own query).
 */
public interface NodeLoader {

    /** The objects of this loader's type among {@code ids} (none of them known to be of another type), by id. */
    Uni<Map<UUID, Node>> load(List<UUID> ids);

    /** Whether the current caller holds {@link #permission()}. */
    boolean readable();

    /** The permission the type's own query needs, such as {@code touchpoints:read}. */
    String permission();

    /** Loaders are asked in this order, the most often refetched types first. */
    int order();
}
