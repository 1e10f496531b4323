package io.headlesscrm.security.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.paging.Cursor;
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
    }

    private static final String BY_HASH = "SELECT id, name, roles, expires_at, revoked_at, last_used_at"
            + " FROM api_key WHERE key_hash = $1";
    private static final String TOUCH = "UPDATE api_key SET last_used_at = now() WHERE id = $1";

    @Inject
    Pool pool;

    /**
     * On every authenticated request, so it is one prepared statement on the SQL client, without a Hibernate
     * session (as for customer lookups by id).
     */
    Uni<Credential> findCredential(String keyHash) {
        return pool.preparedQuery(BY_HASH).execute(Tuple.of(keyHash))
                .map(rows -> rows.size() == 0 ? null : credential(rows.iterator().next()));
    }

    Uni<Void> touch(UUID id) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Newest first, {@code limit} keys after {@code cursor} (null: from the newest). */
    Uni<List<ApiKey>> page(Cursor cursor, int limit) {
        if (cursor == null) {
            return find("order by createdAt desc, id desc").range(0, limit - 1).list();
        }
        return find("(createdAt, id) < (:at, :id) order by createdAt desc, id desc",
                Parameters.with("at", Instant.parse(cursor.key())).and("id", cursor.id())).range(0, limit - 1).list();
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
