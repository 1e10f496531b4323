package io.headlesscrm.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
