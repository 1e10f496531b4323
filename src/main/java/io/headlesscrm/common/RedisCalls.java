package io.headlesscrm.common;

import java.time.Duration;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * The one way this service calls Redis (commands, scripts through {@link RedisScript}, pub/sub). Redis is an
 * accelerator and a coordination aid here, so every call is bounded by a timeout, and its outcome, reply, failure
 * or timeout alike, is emitted on the Vert.x context that made the call.
 * <p>
 * Why: a reply arrives on the Redis connection's event loop and Mutiny's timeouts fire on a worker thread. A
 * Hibernate Reactive session that continued there failed with HR000069 ("reactive Session from a different
 * Thread"): a tag write answered 500, an import went FAILED while Redis was paused. {@code RedisCallsTest} makes
 * sure no other class reaches a Redis client.
 */
@ApplicationScoped
public class RedisCalls {

    /** Redis answers in a millisecond or two; a call still unanswered after this counts as failed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;

    @Inject
    public RedisCalls(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Runs a command, bounded by {@link #TIMEOUT}. */
    public Uni<Response> execute(String command, String... args) {
        return execute(TIMEOUT, command, args);
    }

    /** Runs a command, bounded by {@code timeout}: a {@code TimeoutException} when Redis does not answer in time. */
    public Uni<Response> execute(Duration timeout, String command, String... args) {
        return onCallerContext(Uni.createFrom().deferred(() -> redis.execute(command, args)), timeout);
    }

    /** Publishes {@code message} on {@code channel}, bounded by {@link #TIMEOUT}. */
    public Uni<Void> publish(String channel, String message) {
        return onCallerContext(Uni.createFrom().deferred(() -> redis.pubsub(String.class).publish(channel, message)),
                TIMEOUT);
    }

    /**
     * Subscribes to {@code channel} for good: not bounded by a timeout (it is not on a request's path, and a
     * subscription that waits for Redis is still wanted).
     */
    public Uni<Void> subscribe(String channel, Consumer<String> onMessage) {
        return onCallerContext(Uni.createFrom().deferred(() -> redis.pubsub(String.class).subscribe(channel, onMessage)))
                .replaceWithVoid();
    }

    /** {@code call} bounded by {@code timeout}, its outcome emitted on the caller's context (see below). */
    public static <T> Uni<T> onCallerContext(Uni<T> call, Duration timeout) {
        return onCallerContext(call.ifNoItem().after(timeout).fail());
    }

    /**
     * {@code call} with its outcome emitted on the event-loop context that subscribed to it, for a call bounded
     * by its own timer. Only event-loop contexts are returned to: Hibernate Reactive sessions live there, and a
     * caller on a worker may be blocked waiting for this very outcome.
     */
    public static <T> Uni<T> onCallerContext(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            if (caller == null || !caller.isEventLoopContext()) {
                return call;
            }
            return call.emitOn(task -> {
                if (Vertx.currentContext() == caller) {
                    task.run();
                } else {
                    caller.runOnContext(v -> task.run());
                }
            });
        });
    }
}
