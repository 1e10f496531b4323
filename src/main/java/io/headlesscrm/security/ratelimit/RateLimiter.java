package io.headlesscrm.security.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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
 * A client in a burst does not cost a Redis call per request: each call takes a <em>lease</em> of tokens that
 * this instance then hands out locally for up to a second. A lease starts at one token and doubles while the
 * client keeps coming back, up to a tenth of the burst, so a slow client is counted exactly and a fast one
 * costs a Redis call per dozens of requests. Tokens of a lease that runs out unused are lost: at most a tenth
 * of a burst, for a second.
 */
@ApplicationScoped
public class RateLimiter {

    public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {
    }

    private static final String KEY_PREFIX = "crm:rate:";
    private static final RedisScript TOKEN_BUCKET = RedisScript.load("token-bucket");
    private static final long LEASE_MILLIS = 1000;

    @Inject
    RedisCalls redis;
    @Inject
    RateLimitConfig config;

    private final Cache<String, Lease> leases = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(LEASE_MILLIS)).maximumSize(100_000).build();

    /** Takes one token from {@code client}'s bucket. */
    public Uni<Decision> acquire(String client) {
        Lease lease = leases.getIfPresent(client);
        if (lease != null) {
            long left = lease.take();
            if (left >= 0) {
                return Uni.createFrom().item(new Decision(true, config.burst(), left + lease.remoteRemaining,
                        0, lease.resetMillis));
            }
        }
        int wanted = lease == null ? 1 : (int) Math.min(lease.size * 2L, maxLease());
        return TOKEN_BUCKET.run(redis, new String[] { KEY_PREFIX + client }, Integer.toString(config.burst()),
                Double.toString(config.perSecond()), Integer.toString(wanted)).map(r -> {
            int granted = r.get(0).toInteger();
            long remaining = r.get(1).toLong();
            if (granted == 0) {
                return new Decision(false, config.burst(), 0, r.get(2).toLong(), r.get(3).toLong());
            }
            Lease fresh = new Lease(granted, remaining, r.get(3).toLong());
            leases.put(client, fresh);
            return new Decision(true, config.burst(), granted - 1 + remaining, 0, fresh.resetMillis);
        });
    }

    private int maxLease() {
        return Math.max(1, config.burst() / 10);
    }

    /** Tokens this instance took from a client's bucket and hands out itself. */
    private static final class Lease {
        final int size;
        final long remoteRemaining;
        final long resetMillis;
        private final AtomicLong left;

        Lease(int size, long remoteRemaining, long resetMillis) {
            this.size = size;
            this.remoteRemaining = remoteRemaining;
            this.resetMillis = resetMillis;
            this.left = new AtomicLong(size - 1); // the request that took the lease uses one
        }

        /** Takes a token; the tokens left after it, or -1 when there was none. */
        long take() {
            long before = left.getAndUpdate(n -> n > 0 ? n - 1 : n);
            return before > 0 ? before - 1 : -1;
        }
    }
}
