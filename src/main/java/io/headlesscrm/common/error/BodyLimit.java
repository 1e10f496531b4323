package io.headlesscrm.common.error;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused with a 413 problem before it is
 * read, where Quarkus itself would answer an empty 413. (A chunked body without a length that grows past the limit
 * still gets Quarkus's own empty 413.)
 *
 * <p>The connection is then closed the way nginx's lingering close does it: what the client still sends is read
 * and discarded until the body ends or {@link #LINGER_MS} pass. Closing at once, with the body unread, makes the
 * kernel reset the connection, and a client still writing its body gets "broken pipe" instead of the 413.
 */
@ApplicationScoped
public class BodyLimit {

    /** After the request id is set, before Quarkus's own limit (order -2). */
    private static final int ORDER = -3;
    /** How long a refused body is read and discarded before the connection is closed anyway. */
    private static final long LINGER_MS = 5_000;

    @Inject
    ProblemResponses responses;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    void install(@Observes Router router) {
        long max = limit.asLongValue();
        router.route().order(ORDER).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > max) {
                HttpServerRequest request = rc.request();
                HttpConnection connection = request.connection();
                long timer = rc.vertx().setTimer(LINGER_MS, t -> connection.close());
                request.handler(discarded -> {
                }).endHandler(v -> {
                    rc.vertx().cancelTimer(timer);
                    connection.close();
                }).resume();
                rc.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                responses.send(rc, new ProblemException(413, "payload-too-large", "Payload too large",
                        "The body has " + declared + " bytes; at most " + max + " are accepted", List.of()));
            } else {
                rc.next();
            }
        });
    }
}
