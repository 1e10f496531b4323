package io.headlesscrm.common.work;

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
 * The one way a background worker polls for work, called from its {@code @Scheduled} method: {@link #run} for work
 * that must be picked up within less than the scheduler's shortest period (a second), {@link #drain} for work looked
 * for once per tick. Either way a failed step is logged (an unavailable database once per outage) and the run
 * ends; the next tick tries again. The loop's own timing is the wall clock's (it paces itself against the
 * scheduler's ticks), never {@link ServiceClock}'s, which only decides what is due. See the package doc.
 */
public final class WorkLoop {

    private WorkLoop() {
    }

    /**
     * Runs {@code step} (true: it found work) between scheduler ticks: steps back to back while they find work, looking
     * again every {@code idle} when one finds none, for {@code maxRun} (longer, by whole seconds, while steps find work
     * or when one ran past the tick, which the scheduler then skipped); the next tick starts the next run. Call it from
     * a {@code @Scheduled(every = "1s")} method.
     */
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
                .collect().last().onFailure().invoke(e -> reportFailure(e, log, what))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Runs {@code step} (true: it found work, look again at once) back to back until one finds none; the scheduler's
     * next tick looks again. Call it from a {@code @Scheduled} method whose period is how often an idle instance looks.
     */
    public static Uni<Void> drain(Supplier<Uni<Boolean>> step, Logger log, String what) {
        return drain(step, null, log, what);
    }

    /** As {@link #drain(Supplier, Logger, String)}, starting no step once {@code maxRun} (null: no bound) has passed. */
    public static Uni<Void> drain(Supplier<Uni<Boolean>> step, Duration maxRun, Logger log, String what) {
        Instant until = maxRun == null ? null : Instant.now().plus(maxRun);
        return Multi.createBy().repeating().uni(step::get)
                .whilst(found -> found && (until == null || Instant.now().isBefore(until)))
                .collect().last().onFailure().invoke(e -> reportFailure(e, log, what))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static void reportFailure(Throwable e, Logger log, String what) {
        if (!DatabaseOutage.report(e)) { // an unavailable database is logged once per outage
            log.warn(what + " step failed; it is retried", e);
        }
    }
}
