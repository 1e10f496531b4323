package io.headlesscrm.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server process whose cluster lives in a directory that survives restarts. */
final class EmbeddedPostgresServer {

    static final String DATABASE = "crm";
    static final String USER = "postgres";

    private EmbeddedPostgresServer() {
    }

    /** Starts the server (creating the cluster and the {@value #DATABASE} database on first use); returns its port. */
    static int start(Path dataDir) {
        Path cluster = dataDir.resolve("postgres");
        try {
            Files.createDirectories(cluster);
            StaleProcess.reap(cluster.resolve("postmaster.pid"), "embedded PostgreSQL");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    // the embedded server is a development default, durability across OS crashes is not its job
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setRegisterShutdownHook(true)
                    .start();
            createDatabaseIfMissing(pg);
            return pg.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + cluster, e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres pg) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!exists.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + DATABASE + " in embedded PostgreSQL", e);
        }
    }
}
