package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class AfterCommitTest {

    @Inject
    Pool pool;

    @Test
    @RunOnVertxContext
    void runsOnceTheWriteIsVisibleToOthersAndBeforeTheTransactionsUniCompletes(UniAsserter asserter) {
        String key = UUID.randomUUID().toString();
        List<Long> seenByAnotherConnection = new CopyOnWriteArrayList<>();
        asserter.assertThat(() -> Panache.withTransaction(() -> AfterCommit.call(() -> count(key)
                .invoke(seenByAnotherConnection::add)).chain(() -> insert(key)))
                .map(v -> List.copyOf(seenByAnotherConnection)),
                seen -> assertThat(seen).containsExactly(1L));
    }

    @Test
    @RunOnVertxContext
    void neverRunsForARolledBackTransactionNorForALaterOneOnTheSameSession(UniAsserter asserter) {
        List<String> ran = new CopyOnWriteArrayList<>();
        asserter.assertThat(() -> Panache.withSession(() -> Panache.withTransaction(() -> AfterCommit
                .invoke(() -> ran.add("failed")).chain(() -> insert(UUID.randomUUID().toString()))
                .invoke(() -> {
                    throw new IllegalStateException("the write fails");
                })).onFailure().recoverWithNull()
                .chain(() -> Panache.withTransaction(() -> AfterCommit.invoke(() -> ran.add("marked"))
                        .chain(Panache::currentTransaction).invoke(tx -> tx.markForRollback())))
                .chain(() -> Panache.withTransaction(() -> AfterCommit.invoke(() -> ran.add("committed")))))
                .map(v -> List.copyOf(ran)),
                actions -> assertThat(actions).containsExactly("committed"));
    }

    @Test
    @RunOnVertxContext
    void aFailingActionLeavesTheCommitStanding(UniAsserter asserter) {
        String key = UUID.randomUUID().toString();
        asserter.assertThat(() -> Panache.withTransaction(() -> AfterCommit
                .call(() -> Uni.createFrom().failure(new IllegalStateException("Redis is away")))
                .chain(() -> insert(key)).replaceWith("answered")),
                answer -> assertThat(answer).isEqualTo("answered"));
        asserter.assertThat(() -> count(key), rows -> assertThat(rows).isEqualTo(1L));
    }

    @Test
    @RunOnVertxContext
    void refusesWorkRegisteredOutsideATransaction(UniAsserter asserter) {
        asserter.assertFailedWith(() -> Panache.withSession(() -> AfterCommit.invoke(() -> {
        })), e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction"));
    }

    @Test
    @RunOnVertxContext
    void sqlClientWorkRunsOnceTheWriteIsVisibleToOthersAndBeforeTheTransactionsUniCompletes(UniAsserter asserter) {
        String key = UUID.randomUUID().toString();
        List<CompletableFuture<Long>> counts = new CopyOnWriteArrayList<>();
        asserter.assertThat(() -> pool.withTransaction(conn -> {
            AfterCommit.invoke(conn, () -> counts.add(count(key).subscribeAsCompletionStage().toCompletableFuture()));
            // the transaction stays open a moment after the write: work run before the commit would count nothing
            return insert(conn, key).call(() -> conn.query("SELECT pg_sleep(0.2)").execute());
        }).map(v -> counts.size()), started -> assertThat(started).isEqualTo(1));
        asserter.assertThat(() -> Uni.createFrom().completionStage(() -> counts.get(0)),
                seenByAnotherConnection -> assertThat(seenByAnotherConnection).isEqualTo(1L));
    }

    @Test
    @RunOnVertxContext
    void sqlClientWorkNeverRunsForARolledBackTransaction(UniAsserter asserter) {
        List<String> ran = new CopyOnWriteArrayList<>();
        asserter.assertThat(() -> pool.withTransaction(conn -> {
            AfterCommit.invoke(conn, () -> ran.add("failed"));
            return insert(conn, UUID.randomUUID().toString()).invoke(() -> {
                throw new IllegalStateException("the write fails");
            });
        }).onFailure().recoverWithNull().chain(() -> pool.withTransaction(conn -> {
            AfterCommit.invoke(conn, () -> ran.add("committed"));
            return insert(conn, UUID.randomUUID().toString());
        })).map(v -> List.copyOf(ran)), actions -> assertThat(actions).containsExactly("committed"));
    }

    @Test
    @RunOnVertxContext
    void refusesSqlClientWorkRegisteredOutsideATransaction(UniAsserter asserter) {
        asserter.assertFailedWith(() -> pool.withConnection(conn -> {
            AfterCommit.invoke(conn, () -> {
            });
            return Uni.createFrom().voidItem();
        }), e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction"));
    }

    private static Uni<Integer> insert(SqlConnection conn, String key) {
        return conn.preparedQuery("INSERT INTO idempotency_key (scope, key, request_hash, created_at)"
                + " VALUES ('after-commit-test', $1, 'x', now())").execute(Tuple.of(key)).map(RowSet::rowCount);
    }

    private static Uni<Integer> insert(String key) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO idempotency_key (scope, key,"
                + " request_hash, created_at) VALUES ('after-commit-test', ?1, 'x', now())").setParameter(1, key)
                .executeUpdate());
    }

    /** Through a connection of its own, outside the transaction. */
    private Uni<Long> count(String key) {
        return pool.preparedQuery("SELECT count(*) FROM idempotency_key WHERE key = $1").execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
