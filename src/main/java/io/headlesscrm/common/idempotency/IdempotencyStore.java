package io.headlesscrm.common.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Idempotency keys for creating requests. Used inside the caller's transaction: {@link #claim} inserts the key,
 * and a concurrent request with the same key waits on that row until the first one commits, then replays it.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .addModule(new JavaTimeModule())
            .build();

    @ConfigProperty(name = "crm.idempotency.retention", defaultValue = "24h")
    Duration retention;

    /**
     * Claims {@code key} for a request whose body is {@code request}. Empty: the caller owns the key and must
     * {@link #complete} it. Present: the id the first request created; a different body under the same key is
     * a 422.
     */
    public Uni<Optional<UUID>> claim(String scope, String key, Object request) {
        if (key.isBlank() || key.length() > 255) {
            throw ProblemException.badRequest("invalid-header", "Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 characters");
        }
        String hash = hash(request);
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "INSERT INTO idempotency_key (scope, key, request_hash) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, hash)
                .executeUpdate()
                .flatMap(inserted -> inserted == 1 ? Uni.createFrom().item(Optional.<UUID>empty())
                        : s.createNativeQuery("SELECT request_hash, resource_id FROM idempotency_key"
                                + " WHERE scope = ?1 AND key = ?2", Object[].class)
                                .setParameter(1, scope).setParameter(2, key)
                                .getSingleResult()
                                .map(row -> replay(row, hash))));
    }

    public Uni<Void> complete(String scope, String key, UUID resourceId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "UPDATE idempotency_key SET resource_id = ?3 WHERE scope = ?1 AND key = ?2")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, resourceId)
                .executeUpdate()).replaceWithVoid();
    }

    /** Keys are a retry aid, not an archive: forget them after the retention period. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @WithTransaction
    Uni<Void> purgeExpired() {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) retention.toSeconds())
                .executeUpdate()).replaceWithVoid();
    }

    private static Optional<UUID> replay(Object[] row, String hash) {
        if (!hash.equals(row[0])) {
            throw new ProblemException(422, "idempotency-key-reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request body",
                    List.of(new FieldError("Idempotency-Key", "already used with a different body")));
        }
        return Optional.ofNullable((UUID) row[1]);
    }

    private static String hash(Object request) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash the request", e);
        }
    }
}
