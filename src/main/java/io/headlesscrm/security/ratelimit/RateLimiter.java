package io.headlesscrm.security.ratelimit;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.common.RedisScript;
import io.smallrye.mutiny.Uni;

/**
 * Redis-backed token buckets, so that every instance of the service draws on the same bucket per client. The
 * bucket logic is one Lua script (atomic, Redis's clock), called by its SHA and sent again only when Redis does
 * not have it (after a Redis restart).
 * <p>
 * A client in a burst does not cost a Redis call per request: this instance takes tokens from the bucket in
 * <em>leases</em> and hands them out locally ({@link ClientLease}); tokens of a lease that no request used go
 * back to the bucket after a second, so leasing saves Redis calls without spending a client's tokens.
 */
@ApplicationScoped
public class RateLimiter {

    public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {
    }

    private static final String KEY_PREFIX = "crm:rate:";
    private static final RedisScript TOKEN_BUCKET = RedisScript.load("token-bucket");

    private final RedisCalls redis;
    private final RateLimitConfig config;

    /** Kept well past a lease, so that a client coming back returns its stale tokens with its next call. */
    private final Cache<String, ClientLease> leases = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

    /** A limiter over {@code redis}'s buckets; a second one over the same Redis is a second instance's. */
    @Inject
    public RateLimiter(RedisCalls redis, RateLimitConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** The limits this limiter applies. */
    public RateLimitConfig config() {
        return config;
    }

    /** Takes one token from {@code client}'s bucket. */
    public Uni<Decision> acquire(String client) {
        return Uni.createFrom().emitter(emitter -> leases.get(client, this::newLease).acquire(emitter));
    }

    private ClientLease newLease(String client) {
        return new ClientLease((wanted, returned) -> take(client, wanted, returned), config.burst(),
                Math.max(1, config.burst() / 10));
    }

    private Uni<ClientLease.Grant> take(String client, int wanted, int returned) {
        return TOKEN_BUCKET.run(redis, new String[] { KEY_PREFIX + client }, Integer.toString(config.burst()),
                Double.toString(config.perSecond()), Integer.toString(wanted), Integer.toString(returned))
                .map(r -> new ClientLease.Grant(r.get(0).toInteger(), r.get(1).toLong(), r.get(2).toLong(),
                        r.get(3).toLong()));
    }
}
