package io.headlesscrm.security.apikey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    /** What authenticating a request needs to know about a key. */
    record Credential(UUID id, String name, List<String> roles, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

        Credential usedAt(Instant at) {
            return new Credential(id, name, roles, expiresAt, revokedAt, at);
        }
    }

    /**
     * Keys verified lately, by hash, so a busy client costs no query per request. Revoking forgets a key here and,
     * through {@link ApiKeyRevocations}, on the other instances; if that message is lost, an instance may accept
     * a revoked key for up to this long.
     */
    static final Duration VERIFIED_FOR = Duration.ofSeconds(10);

    private static final String BY_HASH = "SELECT id, name, roles, expires_at, revoked_at, last_used_at"
            + " FROM api_key WHERE key_hash = $1";
    private static final String TOUCH = "UPDATE api_key SET last_used_at = now() WHERE id = $1";

    @Inject
    Pool pool;

    private final Cache<String, Credential> verified = Caffeine.newBuilder().expireAfterWrite(VERIFIED_FOR)
            .maximumSize(10_000).build();

    /**
     * On every request with an API key, so: from the cache of lately verified keys, else one prepared statement
     * on the SQL client, without a Hibernate session (as for customer lookups by id).
     */
    Uni<Credential> findCredential(String keyHash) {
        Credential known = verified.getIfPresent(keyHash);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery(BY_HASH).execute(Tuple.of(keyHash)).map(rows -> {
            Credential found = rows.size() == 0 ? null : credential(rows.iterator().next());
            if (found != null) {
                verified.put(keyHash, found);
            }
            return found;
        });
    }

    /** Records that the key was used now. */
    Uni<Void> touch(String keyHash, Credential key) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(key.id()))
                .invoke(() -> verified.asMap().computeIfPresent(keyHash, (h, c) -> c.usedAt(Instant.now())))
                .replaceWithVoid();
    }

    /** Drops a key from the cache of verified keys, so that a change to it (revocation) counts at once. */
    void forget(UUID id) {
        verified.asMap().values().removeIf(c -> c.id().equals(id));
    }

    /** Newest first, {@code limit} keys after {@code cursor} (null: from the newest). */
    Uni<List<ApiKey>> page(Cursor cursor, int limit) {
        KeysetQuery q = KeysetQuery.hql("from ApiKey").page(ApiKeyService.KEYSET, cursor, limit);
        return find(q.query(), q.named()).range(0, q.fetch() - 1).list();
    }

    /** Whether some key that is neither revoked nor expired carries {@code role}. */
    Uni<Boolean> anyActiveWithRole(String role) {
        return pool.preparedQuery("SELECT 1 FROM api_key WHERE revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > now()) AND $1 = ANY(string_to_array(roles, ' ')) LIMIT 1")
                .execute(Tuple.of(role)).map(rows -> rows.size() > 0);
    }

    Uni<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    private static Credential credential(Row r) {
        List<String> roles = ApiKey.RoleList.parse(r.getString(2));
        return new Credential(r.getUUID(0), r.getString(1), roles, Rows.instant(r, 3), Rows.instant(r, 4), Rows.instant(r, 5));
    }
}
