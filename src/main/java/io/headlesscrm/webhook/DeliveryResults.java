package io.headlesscrm.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.headlesscrm.common.Rows;
import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.security.audit.Change;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Writes what became of sent messages back, in batches: the results that finish while one batch is written are the
 * next batch. A batch is three statements whatever its size: the attempt log, then the messages (their next state as
 * {@link DeliveryPolicy} decides it), then endpoint health, which disables an endpoint that answered 410 or has failed
 * for {@code crm.webhook.disable-after} (with an audit row, in the same transaction). A batch that cannot be written
 * is lost: its messages are sent again after their lease. Runs on the dispatcher's context.
 */
class DeliveryResults {

    private static final Logger LOG = Logger.getLogger(DeliveryResults.class);

    // a body rendered at the claim is kept, so later attempts send exactly what the first did
    private static final String UPDATE_MESSAGES = "UPDATE webhook_message m SET state = r.state,"
            + " attempts = m.attempts + r.counted, next_attempt_at = r.next_at, last_error = r.error,"
            + " delivered_at = r.delivered_at, body = coalesce(m.body, r.body) FROM unnest($1::uuid[], $2::text[],"
            + " $3::int[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::text[])"
            + " AS r(id, state, counted, next_at, error, delivered_at, body) WHERE m.id = r.id";
    private static final String INSERT_ATTEMPTS = "INSERT INTO webhook_attempt (message_id, attempted_at, status_code,"
            + " latency_ms, error, response_excerpt) SELECT r.id, r.at, r.status, r.latency, r.error, r.excerpt"
            + " FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[], $6::text[])"
            + " AS r(id, at, status, latency, error, excerpt)"
            + " WHERE EXISTS (SELECT 1 FROM webhook_message m WHERE m.id = r.id)";
    private static final String HEALTHY = "UPDATE webhook_endpoint SET failing_since = NULL"
            + " WHERE id = ANY($1::uuid[]) AND failing_since IS NOT NULL";
    private static final String FAILING = "UPDATE webhook_endpoint SET failing_since = COALESCE(failing_since, $2)"
            + " WHERE id = ANY($1::uuid[]) AND enabled RETURNING id, failing_since";
    private static final String DISABLE = "UPDATE webhook_endpoint SET enabled = false, disabled_reason = $2,"
            + " updated_at = $3, version = version + 1 WHERE id = $1 AND enabled";

    private final io.vertx.mutiny.sqlclient.Pool mutinyPool;
    private final Pool pool;
    private final Context context;
    private final DeliveryPolicy policy;
    private final ServiceClock clock;
    private final MeterRegistry metrics;
    private final AuditLog audit;

    // confined to the context
    private boolean flushing;
    private List<DeliveryResult> done = new ArrayList<>();

    DeliveryResults(io.vertx.mutiny.sqlclient.Pool pool, Context context, DeliveryPolicy policy, ServiceClock clock,
            MeterRegistry metrics, AuditLog audit) {
        this.mutinyPool = pool;
        this.pool = pool.getDelegate();
        this.context = context;
        this.policy = policy;
        this.clock = clock;
        this.metrics = metrics;
        this.audit = audit;
    }

    /** Takes a finished result: written now, or with the next batch if one is being written. */
    void add(DeliveryResult result) {
        done.add(result);
        flush();
    }

    /** Whether every result taken has been written (or given up on). */
    boolean idle() {
        return done.isEmpty() && !flushing;
    }

    /** Writes the results taken, unless a batch is being written (which writes them next). */
    void flush() {
        if (!flushing && !done.isEmpty()) {
            write();
        }
    }

    /** Writes the finished results: messages, the attempt log, then endpoint health; then the next lot, if any. */
    private void write() {
        List<DeliveryResult> results = done;
        done = new ArrayList<>();
        flushing = true;
        int n = results.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        Integer[] counted = new Integer[n];
        OffsetDateTime[] next = new OffsetDateTime[n];
        String[] errors = new String[n];
        OffsetDateTime[] deliveredAt = new OffsetDateTime[n];
        String[] bodies = new String[n];
        List<DeliveryResult> attempts = new ArrayList<>();
        Set<UUID> healthy = new HashSet<>();
        Map<UUID, ClaimedMessage> failing = new LinkedHashMap<>();
        Map<UUID, String> gone = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            DeliveryResult r = results.get(i);
            ids[i] = r.message().id();
            errors[i] = r.error();
            // a rendered body to keep (the statement keeps one stored before)
            bodies[i] = r.message().subject() != null ? r.message().body() : null;
            if (!r.attempted()) {
                states[i] = r.deferState();
                counted[i] = 0;
                next[i] = r.deferUntil() == null ? null : utc(r.deferUntil());
                continue;
            }
            attempts.add(r);
            counted[i] = 1;
            DeliveryPolicy.Outcome o = policy.after(r.message().attempts() + 1,
                    new DeliveryPolicy.Attempt(r.status(), r.retryAfter()));
            metrics.counter("crm_webhook_attempts_total", "outcome", o.kind().name().toLowerCase(Locale.ROOT))
                    .increment();
            switch (o.kind()) {
                case DELIVERED -> {
                    states[i] = "DELIVERED";
                    deliveredAt[i] = utc(r.attemptedAt());
                    healthy.add(r.message().endpointId());
                }
                case RETRY -> {
                    states[i] = "FAILED";
                    next[i] = utc(o.nextAttemptAt());
                    failing.put(r.message().endpointId(), r.message());
                }
                case DEAD -> {
                    states[i] = "DEAD";
                    failing.put(r.message().endpointId(), r.message());
                }
                case DISABLE_ENDPOINT -> {
                    states[i] = "DEAD";
                    gone.put(r.message().endpointId(), "410 Gone from " + r.message().url());
                }
            }
        }
        healthy.forEach(failing::remove);
        // the attempt log first: a message's state never runs ahead of its log
        Future<?> written = (attempts.isEmpty() ? Future.succeededFuture() : insertAttempts(attempts))
                .compose(v -> pool.preparedQuery(UPDATE_MESSAGES)
                        .execute(Tuple.of(ids, states, counted, next, errors, deliveredAt, bodies)))
                .compose(v -> health(healthy, failing, gone));
        written.onComplete(ar -> {
            flushing = false;
            if (ar.failed()) {
                LOG.warnf("Cannot record %d webhook results (they are sent again after their lease): %s", n,
                        ar.cause().getMessage());
            }
            flush();
        });
    }

    private Future<?> insertAttempts(List<DeliveryResult> attempts) {
        int n = attempts.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Integer[] status = new Integer[n];
        Integer[] latency = new Integer[n];
        String[] error = new String[n];
        String[] excerpt = new String[n];
        for (int i = 0; i < n; i++) {
            DeliveryResult r = attempts.get(i);
            ids[i] = r.message().id();
            at[i] = utc(r.attemptedAt());
            status[i] = r.status();
            latency[i] = r.latencyMs();
            error[i] = r.error();
            excerpt[i] = r.excerpt();
        }
        return pool.preparedQuery(INSERT_ATTEMPTS).execute(Tuple.of(ids, at, status, latency, error, excerpt));
    }

    /** Endpoints that took a message are healthy; those that only failed are failing since now, unless already. */
    private Future<?> health(Set<UUID> healthy, Map<UUID, ClaimedMessage> failing, Map<UUID, String> gone) {
        Future<?> f = Future.succeededFuture();
        UUID[] recovered = healthy.stream().toArray(UUID[]::new);
        if (recovered.length > 0) {
            f = f.compose(v -> pool.preparedQuery(HEALTHY).execute(Tuple.of(recovered)));
        }
        if (!failing.isEmpty()) {
            UUID[] ids = failing.keySet().toArray(UUID[]::new);
            f = f.compose(v -> pool.preparedQuery(FAILING).execute(Tuple.of(ids, utc(clock.instant())))).compose(rows -> {
                Future<?> disabled = Future.succeededFuture();
                for (Row row : (RowSet<Row>) rows) {
                    Instant since = Rows.instant(row, "failing_since");
                    if (policy.disables(since)) {
                        UUID id = row.getUUID("id");
                        disabled = disabled.compose(v -> disable(id, "failing continuously since " + since));
                    }
                }
                return disabled;
            });
        }
        for (Map.Entry<UUID, String> e : gone.entrySet()) {
            f = f.compose(v -> disable(e.getKey(), e.getValue()));
        }
        return f;
    }

    /** Disables an endpoint that is still enabled, and says so in the audit log in the same transaction. */
    private Future<?> disable(UUID endpointId, String reason) {
        LOG.warnf("Webhook endpoint %s disabled: %s", endpointId, reason);
        AuditLog.Row row = new AuditLog.Row(endpointId.toString(), AuditLog.Action.UPDATE,
                Change.between(Map.of("enabled", true), Map.of("enabled", false, "disabledReason", reason)));
        Uni<Void> disabled = mutinyPool.withTransaction(conn -> conn.preparedQuery(DISABLE)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(endpointId, reason, utc(clock.instant())))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : audit.appendAll(conn, Actor.SYSTEM, null, WebhookEndpointService.ENTITY, List.of(row))));
        return Future.fromCompletionStage(disabled.subscribeAsCompletionStage(), context);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
