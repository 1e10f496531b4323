package io.headlesscrm.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory, held for the life of the JVM. The operating system releases it
 * when the process dies, however it dies, so holding it proves that any embedded server still running on
 * this directory is an orphan of a crashed run, safe to stop; failing to get it means another live service
 * uses the directory, and that one's servers must be left alone.
 */
final class DataDirLock {

    private DataDirLock() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve(".lock");
    }

    static FileLock acquire(Path dataDir) {
        Path file = file(dataDir);
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("CRM_DATA_DIR " + dataDir + " is in use by another running "
                        + "Headless CRM; stop it or give this one another CRM_DATA_DIR");
            }
            return lock;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM already
        }
    }
}
