package io.headlesscrm.webhook;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every outbox write announces its messages (waking the dispatcher) once its transaction commits, before the
 * transaction's Uni completes, and never when it rolls back: in both transaction styles, with no help from the caller.
 */
@QuarkusTest
class OutboxTest {

    private static final String CUSTOMER_DELETED = "customer.deleted";
    private static final String TOUCHPOINT_CREATED = "touchpoint.created";

    // a SQL-client statement of a caller's own that writes messages inside it, as the lead and campaign ones do
    private static final String TOUCHPOINT_MESSAGES = "WITH m AS (" + Outbox.insertRendered("(SELECT CAST('"
            + TOUCHPOINT_CREATED + "' AS text) AS type, CAST($1 AS uuid) AS subject, CAST(NULL AS uuid)"
            + " AS customer) ev") + " RETURNING 1) SELECT count(*) AS " + Outbox.MESSAGES + " FROM m";

    private static Receiver receiver;

    @Inject
    Outbox outbox;
    @Inject
    Pool pool;
    @Inject
    DueAnnouncements announcements;

    private String endpoint;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new Receiver(io.quarkus.arc.Arc.container().instance(Vertx.class).get());
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        receiver.close();
    }

    @BeforeEach
    void subscribe() {
        endpoint = asAdmin().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/outbox-test"),
                "eventTypes", List.of(CUSTOMER_DELETED, TOUCHPOINT_CREATED)))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    @AfterEach
    void unsubscribe() {
        asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
    }

    @Test
    @RunOnVertxContext
    void aHibernateWriteWakesTheDispatcherOnceItCommitsAndNeverWhenItRollsBack(UniAsserter asserter) {
        wakesOnceItCommitsNeverWhenItRollsBack(asserter, then -> Panache.withTransaction(() -> enqueue().invoke(then)));
    }

    @Test
    @RunOnVertxContext
    void aSqlClientWriteWakesTheDispatcherOnceItCommitsAndNeverWhenItRollsBack(UniAsserter asserter) {
        wakesOnceItCommitsNeverWhenItRollsBack(asserter, then -> pool.withTransaction(conn -> outbox.write(conn,
                TOUCHPOINT_MESSAGES, Tuple.of(UUID.randomUUID())).invoke(then)));
    }

    @Test
    @RunOnVertxContext
    void aWriteThatWritesNoMessageWakesNothing(UniAsserter asserter) {
        UUID[] mark = new UUID[1];
        asserter.execute(() -> mark[0] = DueAnnouncements.mark());
        asserter.assertThat(() -> Panache.withTransaction(() -> outbox.enqueue(List.of()))
                .chain(() -> pool.withTransaction(conn -> outbox.write(conn, "SELECT 0 AS " + Outbox.MESSAGES,
                        Tuple.tuple()))).map(v -> announcements.count(mark[0])),
                announced -> assertThat(announced).isZero());
    }

    /** {@code write} writes messages in a transaction of its own and then runs the step it is given. */
    private void wakesOnceItCommitsNeverWhenItRollsBack(UniAsserter asserter, Function<Runnable, Uni<?>> write) {
        UUID[] mark = new UUID[1];
        asserter.execute(() -> mark[0] = DueAnnouncements.mark());
        asserter.assertThat(() -> write.apply(() -> {
            throw new IllegalStateException("the change fails");
        }).onFailure().recoverWithNull().map(v -> announcements.count(mark[0])),
                announced -> assertThat(announced).as("after a rollback").isZero());
        asserter.assertThat(() -> write.apply(() -> {
        }).map(v -> announcements.count(mark[0])), announced -> assertThat(announced).as("after a commit").isEqualTo(1));
    }

    private Uni<Integer> enqueue() {
        return outbox.enqueue(List.of(new Outbox.Event(CUSTOMER_DELETED, null, Map.of("id", "gone"))))
                .invoke(written -> assertThat(written).as("messages written").isPositive());
    }
}
