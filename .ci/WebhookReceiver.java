import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for the end-to-end check and the benchmark, run with the source launcher:
 * {@code java .ci/WebhookReceiver.java PORT OUTFILE [SECRET]}.
 * <p>
 * Answers every POST (any path) with 200, or with 500 for the first request of FAIL_PERCENT % of the webhook-ids
 * (env, default 0; later requests of such an id get 200), and appends one line per request to OUTFILE:
 * {@code <webhook-id> <status answered> <epoch micros received> <data.touchpoint.createdAt or ->}.
 * With SECRET ({@code whsec_...}) it checks every Standard Webhooks signature and counts the bad ones. On SIGTERM
 * it flushes OUTFILE, prints its counts and writes them to OUTFILE.summary. Other methods get 200 and are not
 * recorded (a readiness probe).
 */
public class WebhookReceiver {

    private static final Pattern CREATED_AT = Pattern.compile("\"touchpoint\"\\s*:\\s*\\{.*?\"createdAt\"\\s*:\\s*\"([^\"]+)\"");

    private final BufferedWriter out;
    private final byte[] key; // null: signatures are not checked
    private final int failPercent;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>(); // webhook-id -> its first request failed
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();

    WebhookReceiver(Path file, String secret, int failPercent) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.key = secret == null ? null : Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
        this.failPercent = failPercent;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java WebhookReceiver.java PORT OUTFILE [SECRET]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        int failPercent = Integer.parseInt(System.getenv().getOrDefault("FAIL_PERCENT", "0"));
        WebhookReceiver receiver = new WebhookReceiver(file, args.length > 2 ? args[2] : null, failPercent);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", receiver::handle);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
        flusher.scheduleWithFixedDelay(receiver::flush, 200, 200, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            flusher.shutdown();
            receiver.flush();
            receiver.summary(Path.of(file + ".summary"));
        }));
        server.start();
        System.out.printf("webhook receiver listening on 127.0.0.1:%d, writing %s (signatures %s, fail %d%%)%n", port,
                file, receiver.key == null ? "not checked" : "checked", failPercent);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            Instant now = Instant.now();
            long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String idOrDash = id == null || id.isBlank() ? "-" : id;
            // the first request of an id decides whether it fails; every later one is answered 200
            boolean unlucky = failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent;
            boolean fail = seen.putIfAbsent(idOrDash, unlucky) == null && unlucky;
            int status = fail ? 500 : 200;
            if (key != null && !verified(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body)) {
                badSignatures.incrementAndGet();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            Matcher m = CREATED_AT.matcher(text);
            String createdAt = m.find() ? m.group(1) : "-";
            requests.incrementAndGet();
            if (fail) {
                failed.incrementAndGet();
            }
            synchronized (out) {
                out.write(idOrDash + " " + status + " " + micros + " " + createdAt + "\n");
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException | RuntimeException e) {
            System.err.println("receiver: " + e);
        }
    }

    /** Standard Webhooks: one of the space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>" matches. */
    private boolean verified(String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String s : signatures.trim().split(" +")) {
            if (s.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: a bad signature
                }
            }
        }
        return false;
    }

    private void flush() {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void summary(Path file) {
        String text = String.format("requests=%d%ndistinct_ids=%d%nanswered_500=%d%nbad_signatures=%d%n",
                requests.get(), seen.size(), failed.get(), badSignatures.get());
        System.out.print("webhook receiver: " + text.replace(System.lineSeparator(), " ").trim() + System.lineSeparator());
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            System.err.println("receiver: cannot write " + file + ": " + e);
        }
    }
}
