package io.headlesscrm.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets the service generates for itself and keeps in its data directory, readable by its owner only. */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Writes {@code secret} (and a newline) to {@code file}, mode 600 where the file system has POSIX modes. */
    public static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, secret + System.lineSeparator());
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store a secret in " + file, e);
        }
    }
}
