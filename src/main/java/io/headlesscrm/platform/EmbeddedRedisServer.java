package io.headlesscrm.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import redis.embedded.RedisServer;

/** A real redis-server process that snapshots into a directory that survives restarts. */
final class EmbeddedRedisServer {

    private EmbeddedRedisServer() {
    }

    /** Starts the server and returns its port. */
    static int start(Path dataDir) {
        Path dir = dataDir.resolve("redis");
        Path pidFile = dir.resolve("redis.pid");
        try {
            Files.createDirectories(dir);
            StaleProcess.reap(pidFile, "embedded Redis");
            int port = freePort();
            RedisServer redis = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("pidfile " + pidFile.toAbsolutePath())
                    .setting("save 60 1")
                    .setting("appendonly no")
                    // the library's shutdown hook then sends SIGTERM, so Redis writes its snapshot before exiting
                    .onShutdownForceStop(false)
                    .build();
            redis.start();
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded Redis in " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
