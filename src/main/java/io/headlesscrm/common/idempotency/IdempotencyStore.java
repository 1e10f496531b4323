package io.headlesscrm.common.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
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

    @Inject
    IdempotencyConfig config;

    /**
     * Claims {@code key} for a request whose body is {@code request}. Empty: the caller owns the key and must
     * {@link #complete} it. Present: the id the first request created; a different body under the same key is
     * a 422.
     */
    public Uni<Optional<UUID>> claim(String scope, String key, Object request) {
        return claimAll(scope, Map.of(key, request)).map(prior -> prior.get(key));
    }

    /**
     * {@link #claim} for many keys (distinct) at once, in two statements whatever their number: the answer maps
     * each key to the id its first request created, or to empty when the caller now owns it.
     */
    public Uni<Map<String, Optional<UUID>>> claimAll(String scope, Map<String, Object> requests) {
        String[] keys = requests.keySet().toArray(String[]::new);
        String[] hashes = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].isBlank() || keys[i].length() > 255) {
                throw ProblemException.badRequest("invalid-header", "Idempotency-Key",
                        "Idempotency-Key must be 1 to 255 characters");
            }
            hashes[i] = hash(requests.get(keys[i]));
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO idempotency_key (scope, key,"
                + " request_hash) SELECT ?1, k, h FROM unnest(CAST(?2 AS text[]), CAST(?3 AS text[])) AS t(k, h)"
                + " ON CONFLICT DO NOTHING RETURNING key", String.class)
                .setParameter(1, scope).setParameter(2, keys).setParameter(3, hashes).getResultList()
                .flatMap(claimed -> {
                    Map<String, Optional<UUID>> prior = new HashMap<>();
                    claimed.forEach(k -> prior.put(k, Optional.empty()));
                    String[] taken = Arrays.stream(keys).filter(k -> !prior.containsKey(k)).toArray(String[]::new);
                    if (taken.length == 0) {
                        return Uni.createFrom().item(prior);
                    }
                    return s.createNativeQuery("SELECT key, request_hash, resource_id FROM idempotency_key"
                            + " WHERE scope = ?1 AND key = ANY(?2)", Object[].class)
                            .setParameter(1, scope).setParameter(2, taken).getResultList().map(rows -> {
                                for (Object[] row : rows) {
                                    prior.put((String) row[0], replay(row, hash(requests.get((String) row[0]))));
                                }
                                return prior;
                            });
                }));
    }

    public Uni<Void> complete(String scope, String key, UUID resourceId) {
        return completeAll(scope, Map.of(key, resourceId));
    }

    /** {@link #complete} for many keys, in one statement. */
    public Uni<Void> completeAll(String scope, Map<String, UUID> resourceIds) {
        if (resourceIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE idempotency_key SET resource_id = t.id"
                + " FROM unnest(CAST(?2 AS text[]), CAST(?3 AS uuid[])) AS t(k, id) WHERE scope = ?1 AND key = t.k")
                .setParameter(1, scope).setParameter(2, resourceIds.keySet().toArray(String[]::new))
                .setParameter(3, resourceIds.values().toArray(UUID[]::new))
                .executeUpdate()).replaceWithVoid();
    }

    /** Keys are a retry aid, not an archive: forget them after the retention period. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(
                "DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) config.retention().toSeconds())
                .executeUpdate()).replaceWithVoid());
    }

    /** A taken key's row (key, request_hash, resource_id): the id to replay, if the body is the same. */
    private static Optional<UUID> replay(Object[] row, String hash) {
        if (!hash.equals(row[1])) {
            throw new ProblemException(422, "idempotency-key-reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request body",
                    List.of(new FieldError("Idempotency-Key", "already used with a different body")));
        }
        return Optional.ofNullable((UUID) row[2]);
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
