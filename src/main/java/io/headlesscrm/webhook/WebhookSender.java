package io.headlesscrm.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.common.RedisScript;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.work.ServiceClock;
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

/**
 * Sends one endpoint's claimed messages, one request each, and hands every outcome to {@code finished}. An endpoint
 * with a rate limit draws on a Redis token bucket shared by every instance (the messages it does not let go now wait
 * for the bucket). Each request goes to an address checked against the SSRF rules just before (cached 30 s per host),
 * so a changed DNS answer cannot point it at a private address; redirects are not followed; the response is read up
 * to a cap; the whole request has a deadline after which it is reset. Runs on the dispatcher's context.
 */
class WebhookSender {

    private static final RedisScript TOKEN_BUCKET = RedisScript.load("token-bucket");
    /** Bodies beyond this are not read further: the connection is closed. */
    private static final int MAX_RESPONSE_READ = 64 * 1024;
    private static final int EXCERPT_CHARS = 1024;

    /** Messages an endpoint's rate limit lets go now, and when to look again for the rest. */
    private record Permits(int granted, long retryMillis) {
    }

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final WebhookSecrets secrets;
    private final EndpointUrls urls;
    private final RedisCalls redis;
    private final ServiceClock clock;
    private final Consumer<DeliveryResult> finished;
    private final Cache<String, Future<InetAddress>> addresses = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30)).maximumSize(10_000).build();

    /** Created on {@code context}, whose event loop the HTTP client is then bound to. */
    WebhookSender(Vertx vertx, Context context, WebhookConfig.Dispatch settings, WebhookSecrets secrets,
            EndpointUrls urls, RedisCalls redis, ServiceClock clock, Consumer<DeliveryResult> finished) {
        this.vertx = vertx;
        this.context = context;
        this.connectTimeout = settings.connectTimeout();
        this.requestTimeout = settings.requestTimeout();
        this.secrets = secrets;
        this.urls = urls;
        this.redis = redis;
        this.clock = clock;
        this.finished = finished;
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(settings.connectionsPerEndpoint())
                .setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
                .setKeepAliveTimeout(30).setDecompressionSupported(false));
    }

    /** The {@code webhook-id} a message is sent with, every attempt the same. */
    static String webhookId(UUID messageId) {
        return "msg_" + messageId.toString().replace("-", "");
    }

    /** Sends {@code claimed}, all of one endpoint, in their order; each one's outcome goes to {@code finished}. */
    void send(List<ClaimedMessage> claimed) {
        List<ClaimedMessage> messages = new ArrayList<>();
        for (ClaimedMessage m : claimed) {
            if (m.body() == null) {
                finished.accept(DeliveryResult.deferred(m, "DEAD", null,
                        "not sent: its " + m.type() + " subject no longer exists"));
            } else {
                messages.add(m);
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        ClaimedMessage first = messages.get(0);
        if (!first.enabled()) {
            messages.forEach(m -> finished.accept(DeliveryResult.deferred(m, "DEAD", null, "the endpoint is disabled")));
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
                    ClaimedMessage m = messages.get(i);
                    if (i >= allowed) {
                        finished.accept(DeliveryResult.deferred(m, m.state(), retryAt, null));
                    } else if (resolved.failed()) {
                        finished.accept(new DeliveryResult(m, true, clock.instant(), null, null, 0,
                                refusal(resolved.cause()), null, null, null));
                    } else {
                        send(m, uri, resolved.result(), signing);
                    }
                }
            });
        });
    }

    /** How many of {@code wanted} messages the endpoint's rate limit lets go now (all, without a limit). */
    private Future<Permits> permits(ClaimedMessage endpoint, int wanted) {
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

    private void send(ClaimedMessage m, URI uri, InetAddress address, List<String> signing) {
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
        Promise<DeliveryResult> outcome = Promise.promise();
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
            finished.accept(r.result());
        });
    }

    /** Reads up to {@link #MAX_RESPONSE_READ} bytes of the response, keeping an excerpt; more closes the connection. */
    private void read(ClaimedMessage m, Instant attemptedAt, long started, HttpClientResponse response,
            Promise<DeliveryResult> outcome, HttpClientRequest request) {
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

    private static DeliveryResult failure(ClaimedMessage m, Instant attemptedAt, long started, Integer status,
            String error, Buffer body) {
        int latency = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String excerpt = null;
        if (body != null && body.length() > 0) {
            String text = body.toString();
            excerpt = text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) : text;
        }
        return new DeliveryResult(m, true, attemptedAt, status, null, latency, error, excerpt, null, null);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}
