package io.headlesscrm.operations;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The database becoming unavailable: every request that needs it is a 503 with Retry-After and a problem body (a
 * GraphQL error that says so), the outage is logged once rather than once per request or per poll, and the service
 * answers again as soon as the database is back. The outage is made by refusing new connections to the database
 * ({@code ALLOW_CONNECTIONS false}, a FATAL 55000 at connect) and ending the service's open ones; the database
 * accepts connections again in a finally block, so the classes that run next are unaffected.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final String SERVICE_UNAVAILABLE = "https://headless-crm.dev/problems/service-unavailable";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void anUnavailableDatabaseIs503WithRetryAfterAndIsLoggedOncePerOutage() throws SQLException {
        String customer = Fixtures.customer(null, null);
        // a key not verified yet: checking it needs the database
        String key = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "outage", "roles", List.of(Roles.ADMIN)))
                .post("/api/v1/api-keys").then().statusCode(201).extract().as(Json.class).get("key");
        asAdmin().get("/api/v1/customers/" + customer).then().statusCode(200);

        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        try (Warnings warnings = new Warnings();
                Connection admin = DriverManager.getConnection(jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1)
                        + "postgres", user, password.orElse(""));
                Statement sql = admin.createStatement()) {
            try {
                sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");

                given().get("/q/health/ready").then().statusCode(503).body(json("status", equalTo("DOWN")));
                for (int i = 0; i < 3; i++) {
                    asAdmin().get("/api/v1/customers/" + customer).then().statusCode(503)
                            .header("Retry-After", "3").contentType("application/problem+json")
                            .body(json("type", equalTo(SERVICE_UNAVAILABLE))).body(json("status", equalTo(503)));
                }
                // what the first failures logged (the outage, and transactions cut short when it began), once it
                // stopped changing; from now on nothing more, whatever the requests and the pollers' ticks
                List<List<String>> last = new CopyOnWriteArrayList<>(List.of(List.of("?")));
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                        .until(() -> last.set(0, warnings.all()).equals(last.get(0)));
                List<String> logged = last.get(0);
                for (int i = 0; i < 3; i++) {
                    asAdmin().get("/api/v1/customers/" + customer).then().statusCode(503)
                            .header("Retry-After", "3").body(json("type", equalTo(SERVICE_UNAVAILABLE)));
                }
                asAdmin().contentType(ContentType.JSON).body(Map.of("name", "During the outage"))
                        .post("/api/v1/customers").then().statusCode(503).header("Retry-After", "3")
                        .body(json("type", equalTo(SERVICE_UNAVAILABLE)));
                // the key cannot be checked: that is no reason to tell the client its key is wrong (401)
                given().header("X-API-Key", key).get("/api/v1/customers/" + customer).then().statusCode(503)
                        .header("Retry-After", "3").body(json("type", equalTo(SERVICE_UNAVAILABLE)));
                // a token needs no database to authenticate, so GraphQL executes and reports the field's failure
                asUserWith(Roles.ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("query", "query($id: ID!) { customer(id: $id) { id name } }",
                                "variables", Map.of("id", customer)))
                        .post("/graphql").then().statusCode(200).header("Retry-After", "3")
                        .body(json("errors[0].message", not(equalTo("System error"))))
                        .body(json("errors[0].extensions.code", equalTo("service-unavailable")))
                        .body(json("errors[0].extensions.retryAfter", equalTo(3)));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> warnings.all().equals(logged));

                assertThat(warnings.unavailable()).as("logged once: %s", warnings.all()).hasSize(1);
            } finally {
                sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }

            // back at once, and the end of the outage logged once the database has been quiet a while
            asAdmin().get("/api/v1/customers/" + customer).then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> !warnings.recovered().isEmpty());
            assertThat(warnings.unavailable()).hasSize(1);
            assertThat(warnings.recovered()).hasSize(1);
            // and ready again: the JDBC pool (Flyway's, and its health check's) drops the connection the outage broke
            // on its next validation, which the class after this one must not be the first to see
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        }
    }

    /** What the service logs at WARN or above, plus the INFO that ends an outage, while it is open. */
    private static final class Warnings extends Handler implements AutoCloseable {

        private static final Logger ROOT = Logger.getLogger("");
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        Warnings() {
            ROOT.addHandler(this);
        }

        /**
         * Not counted: Quarkus's readiness checks, which log each probe that finds the database down, and the JDBC
         * pool that only Flyway (at start-up) and the readiness check use, which logs each connection it drops; and
         * Vert.x's warning of an event loop slowed by a busy machine.
         */
        private static final List<String> PROBES = List.of("io.quarkus.reactive.datasource", "io.quarkus.agroal",
                "io.agroal", "io.smallrye.health", "io.vertx.core.impl.BlockedThreadChecker");

        List<String> all() {
            return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .filter(r -> r.getLoggerName() == null || PROBES.stream().noneMatch(r.getLoggerName()::startsWith))
                    .map(r -> r.getLoggerName() + ": " + message(r)).toList();
        }

        List<String> unavailable() {
            return all().stream().filter(m -> m.contains("Database unavailable")).toList();
        }

        List<String> recovered() {
            return records.stream().map(Warnings::message).filter(m -> m.startsWith("Database available again")).toList();
        }

        /** The message as logged: JBoss Logging's {@code errorf} records printf-style, JUL's MessageFormat-style. */
        private static String message(LogRecord r) {
            if (r.getParameters() == null || r.getParameters().length == 0) {
                return r.getMessage();
            }
            return r instanceof ExtLogRecord e && e.getFormatStyle() == ExtLogRecord.FormatStyle.PRINTF
                    ? String.format(r.getMessage(), r.getParameters())
                    : new SimpleFormatter().formatMessage(r);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            ROOT.removeHandler(this);
        }
    }
}
