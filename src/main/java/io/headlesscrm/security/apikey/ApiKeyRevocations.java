package io.headlesscrm.security.apikey;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.RedisCalls;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Tells every instance of the service that a key was revoked, so that each drops it from its cache of verified
 * keys at once (Redis pub/sub). A message lost while Redis is away costs at most the cache's lifetime,
 * {@link ApiKeyRepository#VERIFIED_FOR}.
 */
@ApplicationScoped
public class ApiKeyRevocations {

    static final String CHANNEL = "crm:api-keys:revoked";
    private static final Logger LOG = Logger.getLogger(ApiKeyRevocations.class);

    @Inject
    RedisCalls redis;
    @Inject
    ApiKeyRepository repository;

    void listen(@Observes StartupEvent event) {
        redis.subscribe(CHANNEL, this::forget).subscribe().with(
                subscribed -> LOG.debugf("Listening for API key revocations on %s", CHANNEL),
                failure -> LOG.warnf("Cannot listen for API key revocations (other instances' revocations "
                        + "take up to %s here): %s", ApiKeyRepository.VERIFIED_FOR, failure.getMessage()));
    }

    /** Announces a committed revocation; a failure to announce does not undo it. */
    Uni<Void> announce(UUID id) {
        return redis.publish(CHANNEL, id.toString())
                .onFailure().invoke(e -> LOG.warnf("Cannot announce the revocation of API key %s: %s", id, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private void forget(String id) {
        try {
            repository.forget(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring a malformed API key revocation message: %s", id);
        }
    }
}
