package io.headlesscrm.webhook;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Renders the data of events of one type whose messages were written without a body ({@link Outbox#insertRendered}),
 * from their subjects, when the dispatcher first claims them. The package that owns the subject implements it.
 */
public interface EventRenderer {

    /** The event type it renders, from {@link EventTypes#ALL}. */
    String type();

    /** The event data per subject id, serialised as the body's {@code data}; a subject that no longer exists is absent. */
    Uni<Map<UUID, Object>> data(Collection<UUID> subjects);
}
