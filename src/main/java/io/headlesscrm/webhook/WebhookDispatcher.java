package io.headlesscrm.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.error.DatabaseOutage;
import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.security.audit.AuditLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The loop that sends outbox messages. Runs on one Vert.x context per instance, as many instances as there are: it
 * claims due messages with {@code FOR UPDATE SKIP LOCKED} by moving their due time past a lease (longer than a
 * request can take), so a message is with one instance at a time and comes back by itself if that instance dies.
 * Claimed messages are rendered if they were written without a body, handed to the {@link WebhookSender} endpoint
 * by endpoint, and their results to {@link DeliveryResults}; up to {@code max-in-flight} requests are under way at
 * once. It looks for due messages every {@code poll-every}, and at once when {@link Outbox} announces a commit.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private static final String CLAIM = "WITH due AS (SELECT id FROM webhook_message"
            + " WHERE state IN ('PENDING', 'FAILED') AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2"
            + " FOR UPDATE SKIP LOCKED),"
            + " claimed AS (UPDATE webhook_message m SET next_attempt_at = $3 FROM due WHERE m.id = due.id"
            + " RETURNING m.id, m.endpoint_id, m.event_type, m.body, m.subject_id, m.created_at, m.attempts, m.state)"
            + " SELECT c.id, c.endpoint_id, c.event_type, c.body, c.subject_id, c.created_at, c.attempts, c.state, e.url,"
            + " e.enabled, e.rate_limit_per_second,"
            + " e.secret, e.previous_secret, e.previous_secret_until, e.failing_since"
            + " FROM claimed c JOIN webhook_endpoint e ON e.id = c.endpoint_id";

    @Inject
    WebhookConfig config;
    @Inject
    Vertx vertx;
    @Inject
    io.vertx.mutiny.sqlclient.Pool mutinyPool;
    @Inject
    WebhookSecrets secrets;
    @Inject
    EndpointUrls urls;
    @Inject
    RedisCalls redis;
    @Inject
    ServiceClock clock;
    @Inject
    MeterRegistry metrics;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;
    @Inject
    Instance<EventRenderer> renderers;

    private WebhookConfig.Dispatch settings;
    private Pool pool;
    private Context context;
    private WebhookSender sender;
    private DeliveryResults results;
    private long timer = -1;

    // confined to the context
    private boolean claiming;
    private boolean again;
    private boolean stopped;
    private int inFlight;

    void start(@Observes StartupEvent event) {
        settings = config.dispatch();
        if (!settings.enabled()) {
            LOG.info("Webhook dispatcher disabled (crm.webhook.dispatch.enabled=false)");
            return;
        }
        if (settings.lease().compareTo(settings.requestTimeout().plus(settings.connectTimeout())) <= 0) {
            throw new IllegalStateException("crm.webhook.dispatch.lease must be longer than a request can take");
        }
        pool = mutinyPool.getDelegate();
        metrics.gauge("crm_webhook_requests_in_flight", this, d -> d.inFlight);
        context = vertx.getOrCreateContext();
        results = new DeliveryResults(mutinyPool, context,
                new DeliveryPolicy(clock, new SplittableRandom(), config.disableAfter()), clock, metrics, audit);
        context.runOnContext(v -> {
            sender = new WebhookSender(vertx, context, settings, secrets, urls, redis, clock, this::finished);
            timer = vertx.setPeriodic(settings.pollEvery().toMillis(), t -> pump());
            pump();
        });
    }

    /** Finishes what is under way (briefly), so a normal shutdown leaves no message to its lease. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (context == null) {
            return;
        }
        Promise<Void> idle = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            vertx.cancelTimer(timer);
            waitIdle(idle, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        });
        try {
            idle.future().toCompletionStage().toCompletableFuture().get(6, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Webhook dispatcher stopped with %d requests under way (sent again after their lease)", inFlight);
        }
    }

    private void waitIdle(Promise<Void> idle, long deadline) {
        if ((inFlight == 0 && results.idle() && !claiming) || System.nanoTime() > deadline) {
            idle.tryComplete();
            return;
        }
        results.flush();
        vertx.setTimer(20, t -> waitIdle(idle, deadline));
    }

    /** After a commit that wrote messages or made some due: the Outbox announces it. */
    void wake(@Observes Outbox.Due due) {
        wake();
    }

    /** Looks for due messages now, rather than at the next poll. */
    public void wake() {
        if (context != null) {
            context.runOnContext(v -> pump());
        }
    }

    private void pump() {
        if (stopped) {
            return;
        }
        if (claiming) {
            again = true;
            return;
        }
        int room = Math.min(settings.batchSize(), settings.maxInFlight() - inFlight);
        if (room <= 0) {
            again = true;
            return;
        }
        claiming = true;
        again = false;
        Instant now = clock.instant();
        Tuple due = Tuple.of(DeliveryResults.utc(now), room, DeliveryResults.utc(now.plus(settings.lease())));
        pool.preparedQuery(CLAIM).execute(due).compose(rows -> {
            List<ClaimedMessage> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(claimed(row));
            }
            return render(claimed);
        }).onComplete(ar -> {
            claiming = false;
            if (ar.failed()) {
                // what was claimed is claimed again after its lease; an unavailable database is logged once per outage
                if (!DatabaseOutage.report(ar.cause())) {
                    LOG.warnf("Cannot claim webhook messages: %s", ar.cause().getMessage());
                }
                return;
            }
            dispatch(ar.result());
            if (again || ar.result().size() == room) {
                pump();
            }
        });
    }

    private static ClaimedMessage claimed(Row row) {
        Buffer previous = row.getBuffer("previous_secret");
        // the grace period is wall-clock time, as the rotation that set it
        List<byte[]> sealed = WebhookEndpoint.signingSecrets(row.getBuffer("secret").getBytes(),
                previous == null ? null : previous.getBytes(), Rows.instant(row, "previous_secret_until"), Instant.now());
        return new ClaimedMessage(row.getUUID("id"), row.getUUID("endpoint_id"), row.getString("event_type"),
                row.getString("body"), row.getUUID("subject_id"), Rows.instant(row, "created_at"),
                row.getInteger("attempts"), row.getString("state"), row.getString("url"), row.getBoolean("enabled"),
                row.getInteger("rate_limit_per_second"), sealed, Rows.instant(row, "failing_since"));
    }

    /** The claimed messages, those written without a body rendered from their subjects (by type, in one go each). */
    private Future<List<ClaimedMessage>> render(List<ClaimedMessage> claimed) {
        Map<String, List<UUID>> subjects = new LinkedHashMap<>();
        claimed.stream().filter(c -> c.body() == null)
                .forEach(c -> subjects.computeIfAbsent(c.type(), k -> new ArrayList<>()).add(c.subject()));
        if (subjects.isEmpty()) {
            return Future.succeededFuture(claimed);
        }
        Map<String, Map<UUID, Object>> data = new HashMap<>();
        Future<?> all = Future.succeededFuture();
        for (var e : subjects.entrySet()) {
            EventRenderer renderer = renderers.stream().filter(r -> r.type().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No renderer for " + e.getKey() + " messages"));
            all = all.compose(v -> Future.fromCompletionStage(renderer.data(e.getValue()).subscribeAsCompletionStage(),
                    context).onSuccess(d -> data.put(e.getKey(), d)));
        }
        return all.map(v -> claimed.stream().map(c -> {
            if (c.body() != null) {
                return c;
            }
            Object d = data.get(c.type()).get(c.subject());
            return c.withBody(d == null ? null : outbox.body(c.type(), c.createdAt().truncatedTo(ChronoUnit.MILLIS)
                    .toString(), d));
        }).toList());
    }

    /** Hands the claimed messages to the sender endpoint by endpoint, each endpoint's in their claimed order. */
    private void dispatch(List<ClaimedMessage> claimed) {
        Map<UUID, List<ClaimedMessage>> byEndpoint = new LinkedHashMap<>();
        for (ClaimedMessage c : claimed) {
            byEndpoint.computeIfAbsent(c.endpointId(), k -> new ArrayList<>()).add(c);
        }
        inFlight += claimed.size();
        byEndpoint.values().forEach(sender::send);
    }

    private void finished(DeliveryResult result) {
        inFlight--;
        results.add(result);
        if (again) {
            pump();
        }
    }
}
