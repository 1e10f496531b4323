package io.headlesscrm.common.error;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * An internal error is logged once, under an id the caller is given: in the problem+json body over REST, in each
 * failed field's extensions over GraphQL (which answered "System error" and logged nothing). The failure is real:
 * the table the reads need is renamed away for the test.
 */
@QuarkusTest
class InternalFailureTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    Pool pool;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void breakTheTagTable() {
        Logger.getLogger(InternalFailure.class.getName()).addHandler(capture);
        pool.query("ALTER TABLE tag RENAME TO tag_hidden_by_test").execute().await().indefinitely();
    }

    @AfterEach
    void repair() {
        pool.query("ALTER TABLE tag_hidden_by_test RENAME TO tag").execute().await().indefinitely();
        Logger.getLogger(InternalFailure.class.getName()).removeHandler(capture);
    }

    /** The log records that name {@code errorId}: exactly one is expected, with the failure's stack trace. */
    private List<LogRecord> loggedAs(String errorId) {
        return logged.stream().filter(r -> String.valueOf(r.getMessage()).contains(errorId)
                || (r.getParameters() != null && List.of(r.getParameters()).stream().anyMatch(p -> errorId.equals(p))))
                .toList();
    }

    @Test
    void aRestInternalErrorCarriesTheIdItIsLoggedUnder() {
        Json problem = asAdmin().get("/api/v1/tags").then().statusCode(500)
                .contentType("application/problem+json")
                .body(json("type", equalTo(Problem.TYPE_BASE + "internal-error")))
                .body(json("errorId", matchesPattern(UUID))).extract().as(Json.class);
        String errorId = problem.getString("errorId");
        assertThat(problem.getString("detail")).contains(errorId);
        assertThat(loggedAs(errorId)).hasSize(1).allSatisfy(r -> assertThat(r.getThrown()).isNotNull());
    }

    @Test
    void eachFailedGraphQLFieldCarriesTheIdItIsLoggedUnder() {
        Json answer = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("query", "{ tags(first: 1) { edges { node { id } } } tag(key: \"vip\") { id } }"))
                .post("/graphql").then().statusCode(200)
                .body(json("errors", hasSize(2)))
                .body(json("errors.extensions.code", equalTo(List.of("internal-error", "internal-error"))))
                .body(json("errors[0].message", containsString("logged as")))
                .extract().as(Json.class);
        List<String> ids = answer.getList("errors.extensions.errorId");
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> {
            assertThat(id).matches(UUID);
            assertThat(loggedAs(id)).hasSize(1).allSatisfy(r -> assertThat(r.getThrown()).isNotNull());
        });
    }
}
