package io.headlesscrm.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.common.error.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;

@QuarkusTest
class IdempotencyStoreTest {

    private static final String SCOPE = "test.scope";

    @Inject
    IdempotencyStore store;

    @Test
    @RunOnVertxContext
    void claimsAKeyOnceAndReplaysItsResource(UniAsserter asserter) {
        String key = UUID.randomUUID().toString();
        UUID resource = UUID.randomUUID();
        asserter.assertThat(() -> Panache.withTransaction(() -> store.claim(SCOPE, key, List.of("body"))
                .call(() -> store.complete(SCOPE, key, resource))), first -> assertThat(first).isEmpty());
        asserter.assertThat(() -> Panache.withTransaction(() -> store.claim(SCOPE, key, List.of("body"))),
                again -> assertThat(again).contains(resource));
        asserter.assertFailedWith(() -> Panache.withTransaction(() -> store.claim(SCOPE, key, List.of("other"))),
                e -> assertThat(((ProblemException) e).slug()).isEqualTo("idempotency-key-reused"));
    }

    @Test
    @RunOnVertxContext
    void purgeForgetsOnlyKeysOlderThanTheRetention(UniAsserter asserter) {
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        asserter.execute(() -> Panache.withTransaction(() -> store.claim(SCOPE, old, "a")
                .call(() -> store.claim(SCOPE, fresh, "b"))
                .call(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(
                        "UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = ?1")
                        .setParameter(1, old).executeUpdate()))));
        asserter.execute(() -> store.purgeExpired());
        asserter.assertThat(() -> Panache.withSession(() -> keys(old, fresh)),
                remaining -> assertThat(remaining).containsExactly(fresh));
    }

    private static Uni<List<String>> keys(String... keys) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "SELECT key FROM idempotency_key WHERE key IN (?1, ?2) ORDER BY key", String.class)
                .setParameter(1, keys[0]).setParameter(2, keys[1]).getResultList());
    }
}
