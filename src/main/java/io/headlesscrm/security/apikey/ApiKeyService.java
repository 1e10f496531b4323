package io.headlesscrm.security.apikey;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Creating, listing and revoking API keys; every change is audited, without the key. */
@ApplicationScoped
public class ApiKeyService {

    static final String ENTITY = "api-key";
    static final Keyset KEYSET = new Keyset("-createdAt", KeyType.INSTANT, "createdAt", "id", true);
    /** Audit rows compare what a person decided about a key, not its bookkeeping. */
    private static final String[] NOT_AUDITED = { "id", "key", "status", "createdAt", "lastUsedAt" };

    @Inject
    ApiKeyRepository repository;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ApiKeyRevocations revocations;

    /** Creates a key; the answer is the only place its secret ever appears. */
    public Uni<ApiKeyView> create(ApiKeyInput input) {
        return Panache.withTransaction(() -> {
            validator.validate(input);
            return audit.currentActor().flatMap(by -> insert(input.name().trim(), ApiKeySecret.generate(),
                    input.roles(), input.expiresAt(), by.type() + ":" + by.id()));
        });
    }

    @WithSession
    public Uni<Page.Slice<ApiKeyView>> list(Cursor after, int limit) {
        return repository.page(after, limit).map(keys -> Page.slice(keys.stream().map(ApiKeyView::of).toList(), limit,
                k -> KEYSET.cursor(k.createdAt(), k.id())));
    }

    @WithSession
    public Uni<ApiKeyView> get(UUID id) {
        return load(id).map(ApiKeyView::of);
    }

    /**
     * Revokes a key: the next request that presents it is refused, by this instance and, told through Redis, by
     * the others (or within {@link ApiKeyRepository#VERIFIED_FOR} if Redis is away). Revoking twice changes nothing.
     */
    public Uni<Void> revoke(UUID id) {
        // forgotten after the commit: a request between forgetting and committing would cache the live key again
        return Panache.withTransaction(() -> revokeInTransaction(id)).invoke(() -> repository.forget(id))
                .call(() -> revocations.announce(id));
    }

    private Uni<Void> revokeInTransaction(UUID id) {
        return load(id).flatMap(k -> {
            if (k.getRevokedAt() != null) {
                return Uni.createFrom().voidItem();
            }
            Map<String, Object> before = audit.snapshot(ApiKeyView.of(k), NOT_AUDITED);
            k.revoke(now());
            return repository.flush()
                    .call(() -> audit.updated(ENTITY, id, before, audit.snapshot(ApiKeyView.of(k), NOT_AUDITED)))
                    .replaceWithVoid();
        });
    }

    /** Whether some key that is neither revoked nor expired carries {@code role}. */
    public Uni<Boolean> anyActiveWithRole(String role) {
        return repository.anyActiveWithRole(role);
    }

    /** Stores {@code key} (given, not generated) unless a key with its hash exists; the stored key either way. */
    public Uni<ApiKeyView> ensure(String name, String key, List<String> roles) {
        return Panache.withTransaction(() -> repository.findByHash(ApiKeySecret.hash(key))
                .flatMap(existing -> existing != null ? Uni.createFrom().item(ApiKeyView.of(existing))
                        : insert(name, key, roles, null, Actor.SYSTEM.type())));
    }

    private Uni<ApiKeyView> insert(String name, String key, List<String> roles, Instant expiresAt, String createdBy) {
        ApiKey k = new ApiKey(name, key, roles, now(), createdBy, expiresAt);
        return repository.persistAndFlush(k)
                .call(saved -> audit.created(ENTITY, saved.getId(), audit.snapshot(ApiKeyView.of(saved), NOT_AUDITED)))
                .map(saved -> ApiKeyView.of(saved, key));
    }

    private Uni<ApiKey> load(UUID id) {
        return repository.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("API key", id));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
