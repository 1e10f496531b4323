package io.headlesscrm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops the embedded Redis (SIGSTOP, as a stalled or overloaded Redis looks: connections stay open, nothing
 * answers) and lets it go on after a while. Close it in a finally or an {@code @AfterEach}, so that a failing
 * test never leaves Redis stopped for the next.
 */
public final class RedisPause implements AutoCloseable {

    private final CompletableFuture<Void> resumed;

    private RedisPause(Duration length) {
        signal("STOP");
        resumed = CompletableFuture.runAsync(() -> signal("CONT"),
                CompletableFuture.delayedExecutor(length.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Stops Redis now, for {@code length}. */
    public static RedisPause of(Duration length) {
        return new RedisPause(length);
    }

    /** Waits until Redis goes on again. */
    public void awaitEnd() {
        resumed.join();
    }

    /** Lets Redis go on now, if it is still stopped. */
    @Override
    public void close() {
        signal("CONT");
    }

    private static void signal(String signal) {
        try {
            String pid = Files.readString(Path.of(System.getProperty("crm.internal.data-dir"), "redis", "redis.pid"))
                    .trim();
            Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot signal the embedded Redis", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
