package io.headlesscrm.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The classifier over failures a real PostgreSQL client produces: a refused connection and a refused session (too
 * many connections for a role, 53300) are the database being unavailable, however Hibernate Reactive and Mutiny
 * wrap them; a failing statement is not.
 */
@QuarkusTest
class DatabaseUnavailableTest {

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void aRefusedConnectionIsUnavailableHoweverWrapped() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Throwable refused = failure(options().setPort(closedPort), "SELECT 1");

        assertThat(DatabaseUnavailable.causedBy(refused)).as("%s", refused).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new CompletionException(new HibernateException(refused)))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new CompositeException(new IllegalStateException("first"),
                new CompletionException(refused)))).isTrue();
        ProblemException problem = Problems.from(new CompletionException(refused));
        assertThat(problem).isInstanceOf(ServiceUnavailable.class);
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.toProblem(null).type()).isEqualTo("https://headless-crm.dev/problems/service-unavailable");
    }

    @Test
    void tooManyConnectionsIsUnavailable() throws SQLException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
                Statement sql = admin.createStatement()) {
            sql.execute("DROP ROLE IF EXISTS outage_limited");
            sql.execute("CREATE ROLE outage_limited LOGIN CONNECTION LIMIT 0");
            try {
                Throwable refused = failure(options().setUser("outage_limited").setPassword(""), "SELECT 1");

                assertThat(refused).isInstanceOf(PgException.class);
                assertThat(((PgException) refused).getSqlState()).isEqualTo("53300");
                assertThat(DatabaseUnavailable.causedBy(refused)).isTrue();
            } finally {
                sql.execute("DROP ROLE outage_limited");
            }
        }
    }

    @Test
    void aFailingStatementIsNot() {
        Throwable failed = failure(options(), "SELECT * FROM no_such_table");

        assertThat(failed).isInstanceOf(PgException.class);
        assertThat(DatabaseUnavailable.causedBy(failed)).isFalse();
        assertThat(Problems.from(failed).status()).isEqualTo(500);
    }

    private PgConnectOptions options() {
        URI uri = URI.create(reactiveUrl.replace("postgresql://", "http://"));
        return new PgConnectOptions().setHost(uri.getHost()).setPort(uri.getPort()).setDatabase(uri.getPath().substring(1))
                .setUser(user).setPassword(password.orElse("")).setConnectTimeout(5_000);
    }

    /** What running {@code query} on a fresh pool with these options fails with. */
    private Throwable failure(PgConnectOptions options, String query) {
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(vertx).build();
        try {
            pool.query(query).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError(query + " succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        } finally {
            pool.close();
        }
    }
}
