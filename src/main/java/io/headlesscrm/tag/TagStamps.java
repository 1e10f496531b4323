package io.headlesscrm.tag;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.headlesscrm.common.RedisCalls;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Reads the tag cache's epoch and customers' versions: the check every lookup served from memory makes. It is
 * the hot path, so it avoids the per-command costs of the pooled client: each event loop has its own Redis
 * connection, and the checks an event loop makes in one turn share a single {@code MGET} on it (about four at a
 * time under load), bounded by one timer. Off an event loop, a check is an {@code MGET} of its own.
 */
@ApplicationScoped
class TagStamps {

    static final String EPOCH = "crm:tags:epoch";
    static final String VERSION = "crm:tags:v:";

    /** Redis's current epoch ('' when none was started) and a customer's version ('0' when never changed). */
    record Stamp(String epoch, String version) {
    }

    /** The checks an event loop has gathered in this turn, and its connection. */
    private static final class Batch {
        Future<RedisConnection> connection;
        List<String> ids = new ArrayList<>();
        List<Promise<Stamp>> waiting = new ArrayList<>();
    }

    private final ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);
    private final Redis client;
    private final Vertx vertx;
    private final long timeoutMs;
    private volatile boolean closed;

    /**
     * {@code client} is the service's Redis client, so its settings (TLS, password, Sentinel) hold here too; the
     * connections kept by event loops and the watch are taken from its pool for good, which is sized for them.
     */
    @Inject
    TagStamps(Vertx vertx, Redis client, TagsConfig config) {
        this.vertx = vertx;
        this.client = client;
        this.timeoutMs = Math.max(1, config.cache().timeout().toMillis());
    }

    /** The current stamp for the customer; fails when Redis fails or does not answer within the timeout. */
    Uni<Stamp> of(UUID customerId) {
        Context context = Vertx.currentContext();
        Promise<Stamp> promise = Promise.promise();
        if (context == null || !Context.isOnEventLoopThread()) {
            send(client.send(mget(List.of(customerId.toString()))), List.of(promise));
        } else {
            Batch batch = batches.get();
            if (batch.ids.isEmpty()) {
                context.runOnContext(v -> flush(batch));
            }
            batch.ids.add(customerId.toString());
            batch.waiting.add(promise);
        }
        // the reply or the timer completes it on the connection's context, which may be another request's
        return RedisCalls.onCallerContext(UniHelper.toUni(promise.future()));
    }

    private void flush(Batch batch) {
        List<String> ids = batch.ids;
        List<Promise<Stamp>> waiting = batch.waiting;
        batch.ids = new ArrayList<>();
        batch.waiting = new ArrayList<>();
        send(connection(batch).compose(c -> c.send(mget(ids))), waiting);
    }

    private void send(Future<Response> reply, List<Promise<Stamp>> waiting) {
        long timer = vertx.setTimer(timeoutMs, t -> complete(waiting, null, new TimeoutException("Redis did not answer")));
        reply.onComplete(r -> {
            vertx.cancelTimer(timer);
            complete(waiting, r.result(), r.cause());
        });
    }

    /** The event loop's connection, (re)connected when there is none; a connection that fails is dropped. */
    private Future<RedisConnection> connection(Batch batch) {
        if (batch.connection == null || batch.connection.failed()) {
            Future<RedisConnection> connecting = client.connect();
            batch.connection = connecting;
            connecting.onSuccess(c -> c.exceptionHandler(e -> drop(batch, connecting)).endHandler(v -> drop(batch, connecting)));
        }
        return batch.connection;
    }

    private static void drop(Batch batch, Future<RedisConnection> connection) {
        if (batch.connection == connection) {
            batch.connection = null;
        }
        connection.onSuccess(RedisConnection::close);
    }

    private static Request mget(List<String> ids) {
        Request request = Request.cmd(Command.MGET).arg(EPOCH);
        ids.forEach(id -> request.arg(VERSION + id));
        return request;
    }

    private static void complete(List<Promise<Stamp>> waiting, Response reply, Throwable failure) {
        for (int i = 0; i < waiting.size(); i++) {
            if (failure != null) {
                waiting.get(i).tryFail(failure);
            } else {
                Response epoch = reply.get(0);
                Response version = reply.get(i + 1);
                waiting.get(i).tryComplete(new Stamp(epoch == null ? "" : epoch.toString(),
                        version == null ? "0" : version.toString()));
            }
        }
    }

    /**
     * Keeps a connection open only to notice Redis going away: when it closes, or cannot be made, {@code lost}
     * runs, and it tries again a second later. Other instances' invalidations may have been lost meanwhile, and
     * an idle instance would otherwise not know.
     */
    void watch(Runnable lost) {
        if (closed) {
            return;
        }
        client.connect().onComplete(r -> {
            if (r.failed()) {
                lost.run();
                vertx.setTimer(1000, t -> watch(lost));
                return;
            }
            RedisConnection connection = r.result();
            AtomicBoolean ended = new AtomicBoolean();
            Handler<Void> onEnd = v -> {
                if (ended.compareAndSet(false, true) && !closed) {
                    lost.run();
                    connection.close();
                    vertx.setTimer(1000, t -> watch(lost));
                }
            };
            connection.exceptionHandler(e -> onEnd.handle(null)).endHandler(onEnd);
        });
    }

    /** On shutdown, the connections close because the service stops, not because Redis went away. */
    void stop(@Observes ShutdownEvent shutdown) {
        closed = true;
    }
}
