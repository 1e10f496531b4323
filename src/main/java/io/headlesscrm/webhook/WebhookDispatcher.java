package io.headlesscrm.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.common.RedisScript;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.error.DatabaseOutage;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.work.ServiceClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Sends outbox messages. Runs on one Vert.x context per instance, as many instances as there are: it claims due
 * messages with {@code FOR UPDATE SKIP LOCKED} by moving their due time past a lease (longer than a request can
 * take), so a message is with one instance at a time and comes back by itself if that instance dies. Up to
 * {@code max-in-flight} requests are under way at once; their results are written back in batches (one statement
 * for the messages, one for the attempt log) and decided by {@link DeliveryPolicy}.
 * <p>
 * Each request goes to an address checked against the SSRF rules just before (cached 30 s per host), so a
 * changed DNS answer cannot point it at a private address; redirects are not followed; the response is read up
 * to a cap; the whole request has a deadline after which it is reset. Endpoints with a rate limit draw on a
 * Redis token bucket shared by every instance.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final RedisScript TOKEN_BUCKET = RedisScript.load("token-bucket");
    /** Bodies beyond this are not read further: the connection is closed. */
    private static final int MAX_RESPONSE_READ = 64 * 1024;
    private static final int EXCERPT_CHARS = 1024;

    private static final String CLAIM = "WITH due AS (SELECT id FROM webhook_message"
            + " WHERE state IN ('PENDING', 'FAILED') AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2"
            + " FOR UPDATE SKIP LOCKED),"
            + " claimed AS (UPDATE webhook_message m SET next_attempt_at = $3 FROM due WHERE m.id = due.id"
            + " RETURNING m.id, m.endpoint_id, m.event_type, m.body, m.subject_id, m.created_at, m.attempts, m.state)"
            + " SELECT c.id, c.endpoint_id, c.event_type, c.body, c.subject_id, c.created_at, c.attempts, c.state, e.url,"
            + " e.enabled, e.rate_limit_per_second,"
            + " e.secret, e.previous_secret, e.previous_secret_until, e.failing_since"
            + " FROM claimed c JOIN webhook_endpoint e ON e.id = c.endpoint_id";
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
    private static final String DISABLE = "WITH d AS (UPDATE webhook_endpoint SET enabled = false, disabled_reason = $2,"
            + " updated_at = $3, version = version + 1 WHERE id = $1 AND enabled RETURNING id)"
            + " INSERT INTO audit_log (actor_type, actor_id, actor_name, entity, entity_id, action, changes)"
            + " SELECT 'system', 'system', 'Headless CRM', 'webhook-endpoint', d.id::text, 'update',"
            + " jsonb_build_object('enabled', jsonb_build_object('old', true, 'new', false),"
            + " 'disabledReason', jsonb_build_object('old', null, 'new', $2::text)) FROM d";

    /**
     * A claimed message with what sending it needs from its endpoint. A message written without a body names its
     * subject; its body is rendered at the claim, or stays null when the subject is gone.
     */
    record Claimed(UUID id, UUID endpointId, String type, String body, UUID subject, Instant createdAt, int attempts,
            String state, String url, boolean enabled, Integer ratePerSecond, List<byte[]> secrets,
            Instant failingSince) {

        Claimed withBody(String rendered) {
            return new Claimed(id, endpointId, type, rendered, subject, createdAt, attempts, state, url, enabled,
                    ratePerSecond, secrets, failingSince);
        }
    }

    /** What became of a claimed message: an attempt (attempted true) or not (endpoint disabled, rate limited). */
    record Result(Claimed message, boolean attempted, Instant attemptedAt, Integer status, String retryAfter,
            int latencyMs, String error, String excerpt, String deferState, Instant deferUntil) {

        static Result deferred(Claimed m, String state, Instant until, String error) {
            return new Result(m, false, null, null, null, 0, error, null, state, until);
        }

        Result withRetryAfter(String value) {
            return new Result(message, attempted, attemptedAt, status, value, latencyMs, error, excerpt, deferState,
                    deferUntil);
        }
    }

    /** Messages an endpoint's rate limit lets go now, and when to look again for the rest. */
    record Permits(int granted, long retryMillis) {
    }

    @ConfigProperty(name = "crm.webhook.dispatch.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "crm.webhook.dispatch.batch-size", defaultValue = "200")
    int batchSize;
    @ConfigProperty(name = "crm.webhook.dispatch.max-in-flight", defaultValue = "400")
    int maxInFlight;
    @ConfigProperty(name = "crm.webhook.dispatch.poll-every", defaultValue = "250ms")
    Duration pollEvery;
    @ConfigProperty(name = "crm.webhook.dispatch.lease", defaultValue = "60s")
    Duration lease;
    @ConfigProperty(name = "crm.webhook.dispatch.connect-timeout", defaultValue = "5s")
    Duration connectTimeout;
    @ConfigProperty(name = "crm.webhook.dispatch.request-timeout", defaultValue = "15s")
    Duration requestTimeout;
    @ConfigProperty(name = "crm.webhook.dispatch.connections-per-endpoint", defaultValue = "64")
    int connectionsPerEndpoint;
    @ConfigProperty(name = "crm.webhook.disable-after", defaultValue = "5d")
    Duration disableAfter;

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
    Instance<EventRenderer> renderers;

    private Pool pool;
    private Context context;
    private HttpClient http;
    private DeliveryPolicy policy;
    private long timer = -1;
    private final Cache<String, Future<InetAddress>> addresses = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30)).maximumSize(10_000).build();

    // confined to the context
    private boolean claiming;
    private boolean again;
    private boolean flushing;
    private boolean stopped;
    private int inFlight;
    private List<Result> done = new ArrayList<>();

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("Webhook dispatcher disabled (crm.webhook.dispatch.enabled=false)");
            return;
        }
        if (lease.compareTo(requestTimeout.plus(connectTimeout)) <= 0) {
            throw new IllegalStateException("crm.webhook.dispatch.lease must be longer than a request can take");
        }
        pool = mutinyPool.getDelegate();
        metrics.gauge("crm_webhook_requests_in_flight", this, d -> d.inFlight);
        policy = new DeliveryPolicy(clock, new SplittableRandom(), disableAfter);
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(connectionsPerEndpoint)
                    .setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
                    .setKeepAliveTimeout(30).setDecompressionSupported(false));
            timer = vertx.setPeriodic(pollEvery.toMillis(), t -> pump());
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
        if ((inFlight == 0 && done.isEmpty() && !flushing && !claiming) || System.nanoTime() > deadline) {
            idle.tryComplete();
            return;
        }
        if (!done.isEmpty() && !flushing) {
            flush();
        }
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
        int room = Math.min(batchSize, maxInFlight - inFlight);
        if (room <= 0) {
            again = true;
            return;
        }
        claiming = true;
        again = false;
        Instant now = clock.instant();
        pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), room, utc(now.plus(lease)))).compose(rows -> {
            List<Claimed> claimed = new ArrayList<>();
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

    private static Claimed claimed(Row row) {
        Buffer previous = row.getBuffer("previous_secret");
        // the grace period is wall-clock time, as the rotation that set it
        List<byte[]> sealed = WebhookEndpoint.signingSecrets(row.getBuffer("secret").getBytes(),
                previous == null ? null : previous.getBytes(), Rows.instant(row, "previous_secret_until"), Instant.now());
        return new Claimed(row.getUUID("id"), row.getUUID("endpoint_id"), row.getString("event_type"),
                row.getString("body"), row.getUUID("subject_id"), Rows.instant(row, "created_at"),
                row.getInteger("attempts"), row.getString("state"), row.getString("url"), row.getBoolean("enabled"),
                row.getInteger("rate_limit_per_second"), sealed, Rows.instant(row, "failing_since"));
    }

    /** The claimed messages, those written without a body rendered from their subjects (by type, in one go each). */
    private Future<List<Claimed>> render(List<Claimed> claimed) {
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

    private void dispatch(List<Claimed> claimed) {
        Map<UUID, List<Claimed>> byEndpoint = new LinkedHashMap<>();
        for (Claimed c : claimed) {
            byEndpoint.computeIfAbsent(c.endpointId(), k -> new ArrayList<>()).add(c);
        }
        inFlight += claimed.size();
        byEndpoint.values().forEach(this::dispatchEndpoint);
    }

    private void dispatchEndpoint(List<Claimed> claimed) {
        List<Claimed> messages = new ArrayList<>();
        for (Claimed m : claimed) {
            if (m.body() == null) {
                finished(Result.deferred(m, "DEAD", null, "not sent: its " + m.type() + " subject no longer exists"));
            } else {
                messages.add(m);
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        Claimed first = messages.get(0);
        if (!first.enabled()) {
            messages.forEach(m -> finished(Result.deferred(m, "DEAD", null, "the endpoint is disabled")));
            return;
        }
        List<String> signing = first.secrets().stream().map(secrets::open).toList();
        URI uri = EndpointUrls.parse(first.url());
        permits(first, messages.size()).onComplete(granted -> {
            // without Redis, a rate-limited endpoint waits: its limit cannot be checked
            Permits permits = granted.succeeded() ? granted.result() : new Permits(0, 1000);
            int allowed = permits.granted();
            Instant retryAt = clock.instant().plusMillis(Math.max(permits.retryMillis(), 10));
            address(uri).onComplete(resolved -> {
                for (int i = 0; i < messages.size(); i++) {
                    Claimed m = messages.get(i);
                    if (i >= allowed) {
                        finished(Result.deferred(m, m.state(), retryAt, null));
                    } else if (resolved.failed()) {
                        finished(new Result(m, true, clock.instant(), null, null, 0, refusal(resolved.cause()), null,
                                null, null));
                    } else {
                        send(m, uri, resolved.result(), signing);
                    }
                }
            });
        });
    }

    /** How many of {@code wanted} messages the endpoint's rate limit lets go now (all, without a limit). */
    private Future<Permits> permits(Claimed endpoint, int wanted) {
        Integer rate = endpoint.ratePerSecond();
        if (rate == null) {
            return Future.succeededFuture(new Permits(wanted, 0));
        }
        String key = "crm:webhook:rate:" + endpoint.endpointId();
        return Future.fromCompletionStage(TOKEN_BUCKET.run(redis, new String[] { key }, Integer.toString(rate),
                Integer.toString(rate), Integer.toString(wanted))
                .map(r -> new Permits(r.get(0).toInteger(), Math.max(r.get(2).toLong(), 1000L / rate)))
                .subscribeAsCompletionStage(), context);
    }

    /** The checked address of the URI's host; an answer is kept 30 s, a failure (refused, unresolvable) is not. */
    private Future<InetAddress> address(URI uri) {
        String host = uri.getHost();
        Future<InetAddress> address = addresses.get(host,
                h -> Future.fromCompletionStage(urls.address(uri).subscribeAsCompletionStage(), context));
        // dropped outside the cache's computation (a future failed already would otherwise update it recursively)
        address.onFailure(e -> addresses.asMap().remove(host, address));
        return address;
    }

    private static String refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProblemException p && !p.errors().isEmpty()) {
            return "not sent: the URL " + p.errors().get(0).message();
        }
        return "not sent: " + cause.getMessage();
    }

    private void send(Claimed m, URI uri, InetAddress address, List<String> signing) {
        Instant attemptedAt = clock.instant();
        long started = System.nanoTime();
        String webhookId = webhookId(m.id());
        // the signed timestamp is the wall clock's: receivers check it against theirs
        Map<String, String> signature = WebhookSigner.headers(webhookId, Instant.now().getEpochSecond(), m.body(), signing);
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri.toString())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false).setConnectTimeout(connectTimeout.toMillis())
                .putHeader("content-type", "application/json").putHeader("user-agent", "HeadlessCRM-Webhooks/1.0");
        signature.forEach(options::putHeader);
        Promise<Result> outcome = Promise.promise();
        HttpClientRequest[] request = new HttpClientRequest[1];
        long deadline = vertx.setTimer(requestTimeout.toMillis(), t -> {
            outcome.tryComplete(failure(m, attemptedAt, started, null, "timed out after " + requestTimeout.toSeconds()
                    + " s", null));
            if (request[0] != null) {
                request[0].reset();
            }
        });
        http.request(options).compose(req -> {
            request[0] = req;
            return req.send(Buffer.buffer(m.body()));
        }).onSuccess(response -> read(m, attemptedAt, started, response, outcome, request[0]))
                .onFailure(e -> outcome.tryComplete(failure(m, attemptedAt, started, null, describe(e), null)));
        outcome.future().onComplete(r -> {
            vertx.cancelTimer(deadline);
            finished(r.result());
        });
    }

    /** Reads up to {@link #MAX_RESPONSE_READ} bytes of the response, keeping an excerpt; more closes the connection. */
    private void read(Claimed m, Instant attemptedAt, long started, HttpClientResponse response, Promise<Result> outcome,
            HttpClientRequest request) {
        Buffer body = Buffer.buffer();
        int status = response.statusCode();
        String retryAfter = response.getHeader("retry-after");
        String error = status >= 200 && status < 300 ? null
                : status >= 300 && status < 400 ? "HTTP " + status + ": redirects are not followed" : "HTTP " + status;
        response.handler(chunk -> {
            if (body.length() < MAX_RESPONSE_READ) {
                body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_RESPONSE_READ - body.length()));
            } else {
                request.reset();
                outcome.tryComplete(failure(m, attemptedAt, started, status, error, body).withRetryAfter(retryAfter));
            }
        });
        response.exceptionHandler(e -> outcome.tryComplete(failure(m, attemptedAt, started, status, error, body)
                .withRetryAfter(retryAfter)));
        response.endHandler(v -> outcome.tryComplete(failure(m, attemptedAt, started, status, error, body)
                .withRetryAfter(retryAfter)));
    }

    private static Result failure(Claimed m, Instant attemptedAt, long started, Integer status, String error, Buffer body) {
        int latency = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String excerpt = null;
        if (body != null && body.length() > 0) {
            String text = body.toString();
            excerpt = text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) : text;
        }
        return new Result(m, true, attemptedAt, status, null, latency, error, excerpt, null, null);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    static String webhookId(UUID messageId) {
        return "msg_" + messageId.toString().replace("-", "");
    }

    private void finished(Result result) {
        inFlight--;
        done.add(result);
        if (!flushing) {
            flush();
        }
        if (again) {
            pump();
        }
    }

    /** Writes the finished results: messages, the attempt log, then endpoint health; then the next lot, if any. */
    private void flush() {
        if (done.isEmpty()) {
            return;
        }
        List<Result> results = done;
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
        List<Result> attempts = new ArrayList<>();
        Set<UUID> healthy = new HashSet<>();
        Map<UUID, Claimed> failing = new LinkedHashMap<>();
        Map<UUID, String> gone = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Result r = results.get(i);
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
            metrics.counter("crm_webhook_attempts_total", "outcome", o.kind().name().toLowerCase(java.util.Locale.ROOT))
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
            if (!done.isEmpty()) {
                flush();
            }
        });
    }

    private Future<?> insertAttempts(List<Result> attempts) {
        int n = attempts.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Integer[] status = new Integer[n];
        Integer[] latency = new Integer[n];
        String[] error = new String[n];
        String[] excerpt = new String[n];
        for (int i = 0; i < n; i++) {
            Result r = attempts.get(i);
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
    private Future<?> health(Set<UUID> healthy, Map<UUID, Claimed> failing, Map<UUID, String> gone) {
        Future<?> f = Future.succeededFuture();
        UUID[] recovered = healthy.stream().toArray(UUID[]::new);
        if (recovered.length > 0) {
            f = f.compose(v -> pool.preparedQuery(HEALTHY).execute(Tuple.of(recovered)));
        }
        if (!failing.isEmpty()) {
            UUID[] ids = failing.keySet().toArray(UUID[]::new);
            f = f.compose(v -> pool.preparedQuery(FAILING).execute(Tuple.of(ids, utc(clock.instant())))).compose(rows -> {
                Future<?> disabled = Future.succeededFuture();
                for (Row row : (io.vertx.sqlclient.RowSet<Row>) rows) {
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

    private Future<?> disable(UUID endpointId, String reason) {
        LOG.warnf("Webhook endpoint %s disabled: %s", endpointId, reason);
        return pool.preparedQuery(DISABLE).execute(Tuple.of(endpointId, reason, utc(clock.instant())));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
