package io.headlesscrm.testing;

import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.security.ratelimit.RateLimitConfig;
import io.headlesscrm.security.ratelimit.RateLimiter;
import io.quarkus.arc.Arc;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.junit.QuarkusMock;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

/**
 * Real components built with other settings and put in place of the application's for one test, where a test
 * profile would cost a second application (a build and a restart) for a setting or two. Called from a
 * {@code @BeforeEach} (or a test), a swap lasts for that test only ({@link QuarkusMock}).
 */
public final class Swaps {

    private static RedisCalls unreachableRedis;

    private Swaps() {
    }

    /** The limits of {@code crm.rate-limit.*}, given here rather than read from the configuration. */
    public record Limits(boolean enabled, int burst, double perSecond) implements RateLimitConfig {
    }

    /** Another instance's rate limiter: its own leases, over the same Redis buckets, with these limits. */
    public static RateLimiter rateLimiter(int burst, double perSecond) {
        return rateLimiter(new Limits(true, burst, perSecond));
    }

    /** Requests are limited with {@code burst} and {@code perSecond} for the rest of the test. */
    public static void rateLimits(int burst, double perSecond) {
        QuarkusMock.installMockForType(rateLimiter(burst, perSecond), RateLimiter.class);
    }

    /** Requests are not limited for the rest of the test ({@code crm.rate-limit.enabled=false}). */
    public static void noRateLimits() {
        QuarkusMock.installMockForType(rateLimiter(new Limits(false, 1, 1)), RateLimiter.class);
    }

    private static RateLimiter rateLimiter(Limits limits) {
        return new RateLimiter(Arc.container().instance(RedisCalls.class).get(), limits);
    }

    /**
     * Every Redis call of the service goes to {@code redis://127.0.0.1:1} for the rest of the test, where nothing
     * listens: a Redis that is down, as {@code quarkus.redis.hosts=redis://127.0.0.1:1} would make it.
     */
    public static synchronized void unreachableRedis() {
        if (unreachableRedis == null) { // one client for the JVM: it holds no connection, nothing answers
            Vertx vertx = Vertx.newInstance(Arc.container().instance(io.vertx.core.Vertx.class).get());
            Redis client = Redis.createClient(vertx, "redis://127.0.0.1:1");
            unreachableRedis = new RedisCalls(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)));
        }
        QuarkusMock.installMockForType(unreachableRedis, RedisCalls.class);
    }
}
