package io.headlesscrm.security.ratelimit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.headlesscrm.security.ratelimit.RateLimiter.Decision;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The tokens this instance holds from one client's Redis bucket, so that a client in a burst does not cost a
 * Redis call per request. No token is spent that no request used:
 * <ul>
 * <li>at most one call to the bucket is in flight; requests that arrive meanwhile wait for it and share what it
 * grants, and it asks for at least as many tokens as there are waiters (concurrent requests each taking their
 * own lease, and dropping the one before, once refused clients well inside their limits);</li>
 * <li>a lease serves for {@link #LEASE_NANOS}; what is left of it then goes back to the bucket, with the next
 * call or, for a client that stopped, by a call of its own. Both go through the one call in flight, so a
 * request never races the return of tokens it could have used.</li>
 * </ul>
 * A lease asks for one token, and for twice as many while the client keeps coming back within a lease, up to
 * {@code maxLease}: a slow client is counted exactly, a fast one costs a Redis call per dozens of requests.
 */
final class ClientLease {

    /** One answer of the bucket: tokens granted, whole tokens left, ms until one is back, ms until full. */
    record Grant(int granted, long remaining, long retryAfterMillis, long resetMillis) {
    }

    /** Returns {@code returned} tokens to the client's bucket and takes up to {@code wanted}, in one step. */
    interface Bucket {
        Uni<Grant> take(int wanted, int returned);
    }

    static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Bucket bucket;
    private final int limit;
    private final int maxLease;

    // guarded by this
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean inFlight;
    private boolean expiring;
    private int tokens;
    private long leasedAt;
    private int size;
    private long remoteRemaining;
    private long resetMillis;

    ClientLease(Bucket bucket, int limit, int maxLease) {
        this.bucket = bucket;
        this.limit = limit;
        this.maxLease = maxLease;
    }

    /** Hands {@code emitter} a decision, now from the lease or once the bucket answers. */
    void acquire(UniEmitter<? super Decision> emitter) {
        Decision now = null;
        Call call = null;
        synchronized (this) {
            if (tokens > 0 && fresh()) {
                tokens--;
                now = allowed();
            } else {
                waiters.add(new Waiter(emitter, Vertx.currentContext()));
                call = nextCall();
            }
        }
        if (now != null) {
            emitter.complete(now);
        } else if (call != null) {
            send(call);
        }
    }

    /** A lease ended: what nobody took from it goes back, unless a newer lease came since (it ends later). */
    private void expire() {
        Call call;
        long left;
        synchronized (this) {
            expiring = false;
            if (tokens == 0) { // all taken, or given back with a call (which empties the lease while it is out)
                return;
            }
            left = LEASE_NANOS - (System.nanoTime() - leasedAt);
            if (left > 0) {
                expiring = true;
                call = null;
            } else {
                call = new Call(0, tokens);
                tokens = 0;
                inFlight = true;
            }
        }
        if (call != null) {
            send(call);
        } else {
            expireIn(left);
        }
    }

    private void expireIn(long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(this::expire);
    }

    private record Call(int wanted, int returned) {
    }

    /** Under the lock: the call that serves the waiters, or null when one is in flight or nobody waits. */
    private Call nextCall() {
        if (inFlight || waiters.isEmpty()) {
            return null;
        }
        size = size > 0 && fresh() ? Math.min(maxLease, size * 2) : 1;
        Call call = new Call(Math.max(waiters.size(), size), tokens); // tokens left here are stale: return them
        tokens = 0;
        inFlight = true;
        return call;
    }

    private void send(Call call) {
        bucket.take(call.wanted(), call.returned()).subscribe().with(grant -> answered(call, grant), this::failed);
    }

    private void answered(Call call, Grant grant) {
        List<Runnable> answers = new ArrayList<>();
        Call next;
        boolean expire;
        synchronized (this) {
            inFlight = false;
            if (call.wanted() > 0) {
                leasedAt = System.nanoTime();
            }
            remoteRemaining = grant.remaining();
            resetMillis = grant.resetMillis();
            tokens = grant.granted();
            while (tokens > 0 && !waiters.isEmpty()) {
                tokens--;
                Decision allowed = allowed();
                Waiter waiter = waiters.poll();
                answers.add(() -> waiter.complete(allowed));
            }
            if (grant.granted() < call.wanted()) {
                // the bucket ran dry: whoever still waits is refused, as a call of their own would be
                Decision refused = new Decision(false, limit, 0, grant.retryAfterMillis(), grant.resetMillis());
                for (Waiter waiter; (waiter = waiters.poll()) != null;) {
                    Waiter refusedWaiter = waiter;
                    answers.add(() -> refusedWaiter.complete(refused));
                }
            }
            next = nextCall(); // requests that came while the call was out and found the lease spent
            expire = tokens > 0 && !expiring;
            expiring |= expire;
        }
        answers.forEach(Runnable::run);
        if (next != null) {
            send(next);
        }
        if (expire) {
            expireIn(LEASE_NANOS);
        }
    }

    private void failed(Throwable failure) {
        List<Waiter> failed;
        synchronized (this) {
            inFlight = false;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        failed.forEach(waiter -> waiter.fail(failure));
    }

    private boolean fresh() {
        return System.nanoTime() - leasedAt < LEASE_NANOS;
    }

    private Decision allowed() {
        return new Decision(true, limit, tokens + remoteRemaining, 0, resetMillis);
    }

    /** A request waiting for the bucket, answered on its own Vert.x context (the call may return on another). */
    private record Waiter(UniEmitter<? super Decision> emitter, Context context) {

        void complete(Decision decision) {
            onContext(() -> emitter.complete(decision));
        }

        void fail(Throwable failure) {
            onContext(() -> emitter.fail(failure));
        }

        private void onContext(Runnable answer) {
            if (context == null || context == Vertx.currentContext()) {
                answer.run();
            } else {
                context.runOnContext(v -> answer.run());
            }
        }
    }
}
