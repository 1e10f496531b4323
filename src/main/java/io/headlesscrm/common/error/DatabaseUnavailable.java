package io.headlesscrm.common.error;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * The one place that decides whether a failure means "the database is unavailable" rather than "this request went
 * wrong": the connection was refused, closed or reset, PostgreSQL refused the session or is shutting down, or no
 * pooled connection came in time. Such a failure says nothing about the request, so it is a 503 with
 * {@code Retry-After} (see {@link ServiceUnavailable}) and is logged once per outage (see {@link DatabaseOutage}).
 * The whole cause chain is searched: Hibernate Reactive and Mutiny wrap the client's exception
 * ({@code HibernateException}, {@code CompletionException}, {@code CompositeException}).
 */
public final class DatabaseUnavailable {

    /** SQLSTATE class 08, connection exception: the connection failed or was lost. */
    private static final String CONNECTION_EXCEPTION = "08";
    /** SQLSTATE class 53, insufficient resources: 53300 too many connections, 53100 disk full, 53200 out of memory. */
    private static final String INSUFFICIENT_RESOURCES = "53";
    /** 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovering). */
    private static final Set<String> SHUTTING_DOWN = Set.of("57P01", "57P02", "57P03");
    /**
     * A FATAL (or PANIC) error ends the server's session: it was refused (the database does not accept connections,
     * 55000) or terminated, whatever its SQLSTATE. Errors of a statement are ERROR and keep the session.
     */
    private static final Set<String> SESSION_ENDING = Set.of("FATAL", "PANIC");
    /** How the Vert.x pool fails a wait for a connection that did not come in time ({@code Future.failedFuture}). */
    private static final String ACQUIRE_TIMEOUT = "Timeout";
    /** How Vert.x fails a command on a connection that closed under it ("..., current status: CLOSED"). */
    private static final String NOT_ACTIVE = "Connection is not active now";

    private DatabaseUnavailable() {
    }

    /** True when the failure, or any of its causes, says the database cannot be reached or serve a session now. */
    public static boolean causedBy(Throwable failure) {
        return cause(failure) != null;
    }

    /** The failure in the chain that says the database is unavailable; null if none does. */
    public static Throwable cause(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (unavailable(t)) {
                return t;
            }
            if (t instanceof CompositeException c) {
                pending.addAll(c.getCauses());
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
        }
        return null;
    }

    private static boolean unavailable(Throwable t) {
        if (t instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(INSUFFICIENT_RESOURCES)
                    || SHUTTING_DOWN.contains(state) || SESSION_ENDING.contains(pg.getSeverity());
        }
        if (t instanceof ConnectException || t instanceof SocketException || t instanceof ClosedChannelException
                || t instanceof ClosedConnectionException) {
            return true; // refused, reset, closed (Netty's connect failure is a ConnectException)
        }
        if (t instanceof NoStackTraceThrowable && (ACQUIRE_TIMEOUT.equals(t.getMessage())
                || String.valueOf(t.getMessage()).startsWith(NOT_ACTIVE))) {
            return true;
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        // Netty's native transport reports a reset as a plain IOException; Vert.x fails commands queued on a
        // connection that closed with a plain VertxException
        return (t instanceof IOException && message.contains("Connection reset"))
                || (t instanceof VertxException && (message.contains("Connection refused")
                        || message.contains("connection has been closed") || message.contains("Connection closed")));
    }
}
