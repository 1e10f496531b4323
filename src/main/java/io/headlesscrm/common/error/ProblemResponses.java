package io.headlesscrm.common.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Problem bodies written straight on the router, for refusals made before any resource runs. */
@ApplicationScoped
public class ProblemResponses {

    /** The {@code WWW-Authenticate} challenge every 401 carries (RFC 6750): bearer tokens, whose realm API keys share. */
    public static final String CHALLENGE = "Bearer realm=\"headless-crm\"";

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @Inject
    ObjectMapper mapper;

    /** Writes {@code problem} as the whole response, unless a response was already sent. */
    public void send(RoutingContext rc, ProblemException problem) {
        send(rc, problem, rc.request().path());
    }

    /** As {@link #send(RoutingContext, ProblemException)}, with the problem's instance given (null: none). */
    public void send(RoutingContext rc, ProblemException problem, String instance) {
        if (rc.response().ended()) {
            return;
        }
        try {
            byte[] body = mapper.writeValueAsBytes(problem.toProblem(instance));
            if (problem instanceof ServiceUnavailable unavailable) {
                unavailable.report();
                rc.response().putHeader(HttpHeaderNames.RETRY_AFTER, Integer.toString(unavailable.retryAfterSeconds()));
            }
            rc.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            LOG.error("Cannot write a problem body", e);
            rc.response().setStatusCode(problem.status()).end();
        }
    }
}
