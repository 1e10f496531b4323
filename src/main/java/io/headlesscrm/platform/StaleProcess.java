package io.headlesscrm.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Cleans up after an embedded server that a crashed (SIGKILLed) run left behind: the server process keeps
 * running as an orphan and still owns its data directory, so the next start would fail.
 */
final class StaleProcess {

    private static final Logger LOG = Logger.getLogger(StaleProcess.class);
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private StaleProcess() {
    }

    /** Stops the process named by the first line of {@code pidFile} if it still runs, then removes the file. */
    static void reap(Path pidFile, String what) {
        readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(process -> {
            LOG.warnf("Stopping %s (pid %d) left running by an earlier run", what, process.pid());
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot remove stale pid file " + pidFile, e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            return Files.readAllLines(pidFile).stream().findFirst().map(String::trim).map(Long::parseLong);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
