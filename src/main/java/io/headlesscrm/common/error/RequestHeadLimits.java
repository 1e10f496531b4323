package io.headlesscrm.common.error;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request line or headers over the limits are a 414 or 431 problem, like every other refusal. Netty answers a
 * request head over its decoder's limits with a bare 414 or 431 before any handler sees it, and Vert.x offers no
 * hook there that Quarkus exposes; so the decoder's limits ({@code quarkus.http.limits.max-initial-line-length}
 * and {@code max-header-size}) are set well above these, and this handler enforces these on the router. A head
 * beyond the decoder's ceiling still gets the bare answer.
 */
@ApplicationScoped
public class RequestHeadLimits {

    /** After the request id is set, with the body limit. */
    private static final int ORDER = -3;
    /** " HTTP/1.1" and the space after the method, as Netty counts the request line. */
    private static final int LINE_OVERHEAD = 10;
    /** ": " and CRLF around each header, as Netty counts them. */
    private static final int HEADER_OVERHEAD = 4;

    @Inject
    ProblemResponses responses;
    @Inject
    HttpLimitsConfig limits;

    void install(@Observes Router router) {
        int maxLine = limits.maxRequestLine();
        int maxHeaders = limits.maxHeaderSize();
        router.route().order(ORDER).handler(rc -> {
            HttpServerRequest request = rc.request();
            int line = request.method().name().length() + request.uri().length() + LINE_OVERHEAD;
            if (line > maxLine) {
                refuse(rc, new ProblemException(414, "uri-too-long", "URI too long", "The request line has " + line
                        + " bytes; at most " + maxLine + " are accepted", List.of()));
                return;
            }
            int headers = 0;
            for (Map.Entry<String, String> h : request.headers()) {
                headers += h.getKey().length() + h.getValue().length() + HEADER_OVERHEAD;
            }
            if (headers > maxHeaders) {
                refuse(rc, new ProblemException(431, "headers-too-large", "Request header fields too large",
                        "The headers have " + headers + " bytes; at most " + maxHeaders + " are accepted", List.of()));
                return;
            }
            rc.next();
        });
    }

    /** The instance is not the (over-long) path: the answer should not echo what was refused for its size. */
    private void refuse(RoutingContext rc, ProblemException problem) {
        // a body that may follow is not read: the connection ends with the answer
        rc.response().putHeader(HttpHeaderNames.CONNECTION, "close").endHandler(v -> rc.request().connection().close());
        responses.send(rc, problem, null);
    }
}
