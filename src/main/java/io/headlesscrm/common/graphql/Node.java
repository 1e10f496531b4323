package io.headlesscrm.common.graphql;

import java.util.UUID;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Interface;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * The Relay object identification interface: every object a screen shows has an id that is unique across types
 * (the same UUID as in REST and webhooks), so {@code node(id:)} can refetch it and client caches can key on it.
 */
@Interface("Node")
@Description("An object with a globally unique id (the same UUID as in REST and webhooks); node(id:) refetches it")
public interface Node {

    /** The id (a record's component; SmallRye reads interface fields from getters only, see {@link #getId()}). */
    UUID id();

    @Id
    @NonNull
    default UUID getId() {
        return id();
    }
}
