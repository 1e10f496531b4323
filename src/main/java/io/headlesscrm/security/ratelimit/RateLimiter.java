package io.headlesscrm.security.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Redis-backed token buckets, so that every instance of the service draws on the same bucket per client. The
 * bucket logic is one Lua script (atomic, Redis's clock); it is called by its SHA and sent again only when Redis
 * does not have it (after a Redis restart).
 */
@ApplicationScoped
public class RateLimiter {

    public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {
    }

    private static final String KEY_PREFIX = "crm:rate:";
    private static final String SCRIPT = script();
    private static final String SHA = sha1(SCRIPT);

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    RateLimitConfig config;

    /** Takes one token from {@code client}'s bucket. */
    public Uni<Decision> acquire(String client) {
        String key = KEY_PREFIX + client;
        String capacity = Integer.toString(config.burst());
        String rate = Double.toString(config.perSecond());
        return redis.execute("EVALSHA", SHA, "1", key, capacity, rate)
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("EVAL", SCRIPT, "1", key, capacity, rate))
                .map(this::decision);
    }

    private Decision decision(Response r) {
        return new Decision(r.get(0).toInteger() == 1, config.burst(), r.get(1).toLong(), r.get(2).toLong(),
                r.get(3).toLong());
    }

    private static String script() {
        try (InputStream in = RateLimiter.class.getResourceAsStream("/redis/token-bucket.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
