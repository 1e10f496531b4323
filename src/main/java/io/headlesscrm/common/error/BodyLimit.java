package io.headlesscrm.common.error;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused with a 413 problem before it is
 * read, where Quarkus itself would answer an empty 413; the connection is closed after the answer, as the body
 * is not read. (A chunked body without a length that grows past the limit still gets Quarkus's own empty 413.)
 */
@ApplicationScoped
public class BodyLimit {

    /** After the request id is set, before Quarkus's own limit (order -2). */
    private static final int ORDER = -3;

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
                rc.response().putHeader(HttpHeaderNames.CONNECTION, "close")
                        .endHandler(v -> rc.request().connection().close());
                responses.send(rc, new ProblemException(413, "payload-too-large", "Payload too large",
                        "The body has " + declared + " bytes; at most " + max + " are accepted", List.of()));
            } else {
                rc.next();
            }
        });
    }
}
