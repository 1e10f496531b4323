package io.headlesscrm.webhook;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A local webhook receiver for tests: a Vert.x server answering each path from a script of replies (200 once the
 * script is used up), and keeping every request it got.
 */
final class Receiver implements AutoCloseable {

    /** One scripted answer: a status with headers, or no answer at all ({@code hang}). */
    record Reply(int status, Map<String, String> headers, boolean hang) {
        static Reply status(int status) {
            return new Reply(status, Map.of(), false);
        }

        static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, false);
        }

        static Reply silence() {
            return new Reply(0, Map.of(), true);
        }
    }

    /** A request as received, with the status it was answered with (0: not answered). */
    record Received(String path, Map<String, String> headers, String body, int answeredWith, long atNanos,
            java.time.Instant at) {
        String webhookId() {
            return headers.get("webhook-id");
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, BiPredicate<String, Long>> flaky = new ConcurrentHashMap<>();
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();

    Receiver(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String path = request.path();
            Reply reply = next(path, request.getHeader("webhook-id"));
            Map<String, String> headers = new java.util.HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            received.add(new Received(path, headers, body.toString(), reply.hang() ? 0 : reply.status(), System.nanoTime(),
                    java.time.Instant.now()));
            if (reply.hang()) {
                return;
            }
            reply.headers().forEach(request.response()::putHeader);
            request.response().setStatusCode(reply.status()).end("{\"answer\":" + reply.status() + "}");
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Reply next(String path, String webhookId) {
        Deque<Reply> script = scripts.get(path);
        Reply scripted = script == null ? null : script.pollFirst();
        if (scripted != null) {
            return scripted;
        }
        BiPredicate<String, Long> fails = flaky.get(path);
        long earlier = fails == null ? 0 : received.stream().filter(r -> r.path().equals(path)
                && String.valueOf(webhookId).equals(r.webhookId())).count();
        return fails != null && fails.test(webhookId, earlier) ? Reply.status(500) : Reply.status(200);
    }

    /** A URL on this receiver answering with {@code replies} first, then 200. */
    String url(String path, Reply... replies) {
        scripts.put(path, new ArrayDeque<>(List.of(replies)));
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** A URL on this receiver failing (500) when {@code fails} says so for a webhook-id and its earlier requests. */
    String flakyUrl(String path, BiPredicate<String, Long> fails) {
        flaky.put(path, fails);
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
