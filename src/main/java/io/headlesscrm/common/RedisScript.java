package io.headlesscrm.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Lua script shipped under {@code src/main/resources/redis}, run atomically in Redis: called by its SHA, and
 * sent in full only when Redis does not know it yet (first use, or after a Redis restart).
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    private RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Loads {@code /redis/<name>.lua} from the class path. */
    public static RedisScript load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream("/redis/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("No Redis script " + name);
            }
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script with {@code keys} (KEYS) followed by {@code args} (ARGV), bounded by {@link RedisCalls#TIMEOUT}. */
    public Uni<Response> run(RedisCalls redis, String[] keys, String... args) {
        return run(redis, RedisCalls.TIMEOUT, keys, args);
    }

    /** Runs the script, each of its (at most two) calls bounded by {@code timeout}. */
    public Uni<Response> run(RedisCalls redis, Duration timeout, String[] keys, String... args) {
        String[] tail = new String[1 + keys.length + args.length];
        tail[0] = Integer.toString(keys.length);
        System.arraycopy(keys, 0, tail, 1, keys.length);
        System.arraycopy(args, 0, tail, 1 + keys.length, args.length);
        return redis.execute(timeout, "EVALSHA", prepend(sha, tail))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute(timeout, "EVAL", prepend(source, tail)));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
