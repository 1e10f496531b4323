package io.headlesscrm.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.headlesscrm.common.error.DatabaseOutage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The one way a background worker runs between scheduler ticks (whose shortest period is a second): steps back to
 * back while they find work, looking again every {@code idle} when one finds none, for {@code maxRun} (longer, by
 * whole seconds, while steps find work or when one ran past the tick, which the scheduler then skipped); the next
 * tick starts the next run. A failed step is logged (an unavailable database once per outage) and the run
 * ends; the next tick tries again.
 */
public final class WorkLoop {

    private WorkLoop() {
    }

    /** Runs {@code step} (true: it found work) as above; call it from a {@code @Scheduled(every = "1s")} method. */
    public static Uni<Void> run(Supplier<Uni<Boolean>> step, Duration idle, Duration maxRun, Logger log, String what) {
        Instant[] until = { Instant.now().plus(maxRun) };
        Duration beforeTick = Duration.ofSeconds(1).minus(maxRun); // until is this long before the scheduler's tick
        Context context = Vertx.currentContext(); // Hibernate Reactive runs on it; a delay resumes elsewhere
        Executor back = command -> context.runOnContext(v -> command.run());
        return Multi.createBy().repeating()
                .uni(() -> step.get().call(found -> found ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(idle).emitOn(back)))
                .whilst(found -> {
                    Instant now = Instant.now();
                    Instant next = now.plus(idle);
                    // a step that ran past a tick made the scheduler skip it (and one with work may): go on to just
                    // before a later tick instead of leaving the next work waiting up to a second for one
                    while (!next.isBefore(until[0]) && (found || now.isAfter(until[0].plus(beforeTick)))) {
                        until[0] = until[0].plusSeconds(1);
                    }
                    return next.isBefore(until[0]); // done before the next tick
                })
                .collect().last().onFailure().invoke(e -> {
                    if (!DatabaseOutage.report(e)) { // an unavailable database is logged once per outage
                        log.warn(what + " step failed; it is retried", e);
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
