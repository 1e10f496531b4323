package io.headlesscrm.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Supplies the datasource and Redis properties from {@code CRM_DB_URL} and {@code CRM_REDIS_URL}, or, for
 * each one that is not set, from an embedded server it starts under {@code CRM_DATA_DIR}; turns on Keycloak
 * bearer tokens when {@code CRM_OIDC_URL} names an issuer, and CORS when {@code CRM_CORS_ORIGINS} names origins.
 * <p>
 * Runs while the runtime configuration is built, that is before the datasource, Flyway and the Redis client
 * read it. Quarkus builds that configuration more than once per JVM (dev-mode reloads, the test framework,
 * each class loader), so the servers' ports are kept in system properties and each server starts once.
 */
public class ServicesConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(ServicesConfigSourceFactory.class);
    private static final String PG_PORT = "crm.internal.embedded-postgres-port";
    private static final String REDIS_PORT = "crm.internal.embedded-redis-port";
    /** What the start-up banner says about each service: embedded (and where its data is) or external. */
    static final String POSTGRES_SHOWN = "crm.internal.postgres";
    static final String REDIS_SHOWN = "crm.internal.redis";
    /** Held until the JVM exits; see {@link DataDirLock}. */
    @SuppressWarnings("unused")
    private static FileLock dataDirLock;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!buildingRuntimeConfig()) {
            return List.of();
        }
        Map<String, String> props = new HashMap<>();
        String dbUrl = value(context, "crm.db.url");
        String redisUrl = value(context, "crm.redis.url");
        if (dbUrl != null) {
            props.putAll(ServiceUrls.database(dbUrl));
            System.setProperty(POSTGRES_SHOWN, "external, " + ServiceUrls.address(dbUrl) + " (CRM_DB_URL)");
        } else {
            int port = embeddedPort("PostgreSQL", PG_PORT, context, EmbeddedPostgresServer::start);
            props.putAll(ServiceUrls.embeddedDatabase(port));
            System.setProperty(POSTGRES_SHOWN, embedded(port, "postgres"));
        }
        if (redisUrl != null) {
            props.putAll(ServiceUrls.redis(redisUrl));
            System.setProperty(REDIS_SHOWN, "external, " + ServiceUrls.address(redisUrl) + " (CRM_REDIS_URL)");
        } else {
            int port = embeddedPort("Redis", REDIS_PORT, context, EmbeddedRedisServer::start);
            props.putAll(ServiceUrls.redis("redis://127.0.0.1:" + port));
            System.setProperty(REDIS_SHOWN, embedded(port, "redis"));
        }
        String oidcUrl = value(context, "crm.oidc.url");
        if (oidcUrl != null) {
            props.putAll(ServiceUrls.oidc(oidcUrl));
        }
        String corsOrigins = value(context, "crm.cors.origins");
        if (corsOrigins != null) {
            // only then: on its own, Quarkus's filter refuses every Origin but the request's own, and behind a TLS
            // proxy the Swagger and GraphQL UIs' own requests do not look like their own (https page, http request)
            props.put("quarkus.http.cors.enabled", "true");
            props.put("quarkus.http.cors.origins", corsOrigins);
        }
        // above application.properties (250), below environment variables (300) and system properties (400)
        return List.of(new MapBackedConfigSource("crm-services", props, 275) {
        });
    }

    private static String embedded(int port, String dir) {
        return "embedded on 127.0.0.1:" + port + ", data in "
                + Path.of(System.getProperty("crm.internal.data-dir")).resolve(dir);
    }

    /**
     * SmallRye also runs this factory while Quarkus builds the application (build-time configuration); servers
     * are only wanted when the application itself starts, which reads its configuration through the generated
     * {@code io.quarkus.runtime.generated.Config}.
     */
    private static boolean buildingRuntimeConfig() {
        return StackWalker.getInstance().walk(frames -> frames
                .anyMatch(f -> f.getClassName().equals("io.quarkus.runtime.generated.Config")));
    }

    private static synchronized int embeddedPort(String name, String key, ConfigSourceContext context, Starter starter) {
        String known = System.getProperty(key);
        if (known != null) {
            return Integer.parseInt(known);
        }
        Path dataDir = dataDir(context);
        int port = starter.start(dataDir);
        // so that another instance can be pointed at the same servers (CRM_DB_URL, CRM_REDIS_URL)
        LOG.infof("Embedded %s listens on 127.0.0.1:%d", name, port);
        System.setProperty(key, Integer.toString(port));
        return port;
    }

    private static Path dataDir(ConfigSourceContext context) {
        String known = System.getProperty("crm.internal.data-dir");
        if (known != null) {
            return Path.of(known);
        }
        String configured = value(context, "crm.data-dir");
        Path dir = Path.of(configured == null ? ".crm-data" : configured).toAbsolutePath().normalize();
        // lock first: a fresh start must not wipe a directory another live service is using
        dataDirLock = DataDirLock.acquire(dir);
        if (Boolean.parseBoolean(value(context, "crm.embedded.fresh"))) {
            clearExceptLock(dir);
        }
        LOG.infof("Embedded services keep their data in %s", dir);
        System.setProperty("crm.internal.data-dir", dir.toString());
        return dir;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }

    private static void clearExceptLock(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.equals(DataDirLock.file(dir))) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + dir, e);
        }
    }

    @FunctionalInterface
    private interface Starter {
        int start(Path dataDir);
    }
}
