package io.headlesscrm.webhook;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

/**
 * Records the {@link Outbox.Due} announcements made on a test's own Vert.x context (marked with {@link #mark}), so a
 * test sees its own writes' announcements and not those of work running meanwhile.
 */
@ApplicationScoped
public class DueAnnouncements {

    private static final String MARK = DueAnnouncements.class.getName();

    private final List<UUID> seen = new CopyOnWriteArrayList<>();

    /** Marks the current (duplicated) context; the mark to count with. */
    static UUID mark() {
        UUID mark = UUID.randomUUID();
        ContextLocals.put(MARK, mark);
        return mark;
    }

    void announced(@Observes Outbox.Due due) {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.<UUID> get(MARK).ifPresent(seen::add);
        }
    }

    long count(UUID mark) {
        return seen.stream().filter(mark::equals).count();
    }
}
