package io.headlesscrm.common.graphql;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.headlesscrm.common.error.ServiceUnavailable;
import io.headlesscrm.common.graphql.GraphQLRequests.Refusal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.ExecutionResponseWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The GraphQL endpoint as the GraphQL-over-HTTP specification (https://graphql.github.io/graphql-over-http/)
 * asks, requirements and recommendations, in front of SmallRye's own route on the same path. SmallRye executes;
 * this class only speaks HTTP, for what configuration cannot change in Quarkus 3.29's handler:
 * <ul>
 * <li>{@code application/graphql-response+json} when the client asks for it, {@code application/json} when it
 * asks for that, for anything ({@code *}{@code /*}) or for nothing (SmallRye answers graphql-response+json then);</li>
 * <li>with graphql-response+json, a request that fails to parse, validate or coerce its variables (a response
 * without {@code data}) is a 400 (SmallRye: 200); with application/json it stays 200, as the spec says;</li>
 * <li>a request that is not well-formed (not JSON, no string {@code query}, {@code variables}, {@code extensions}
 * or {@code operationName} of the wrong type) is a 400 with a GraphQL {@code errors} body in either media type
 * (SmallRye: 200, or 500 for a non-object {@code variables} or a non-string {@code operationName}), a body that
 * is not JSON a 415;</li>
 * <li>GET runs queries (SmallRye's {@code http.get.enabled} would also run mutations over GET); a mutation over
 * GET is a 405 with {@code Allow: POST}, and other methods a 405 with {@code Allow: GET, POST};</li>
 * <li>JSON nested too deeply for SmallRye to read or convert is a 400 (SmallRye: a bare 500);</li>
 * <li>a field that failed because the database is unavailable says so, with {@code Retry-After} (SmallRye: "System
 * error", see {@link UnavailableErrors}).</li>
 * </ul>
 * Reading and checking the request is {@link GraphQLRequests}'s. It runs after authentication, path authorization and
 * rate limiting; WebSocket upgrades never reach it
 * ({@link GraphQLOverWebSocket} takes them earlier).
 * {@link Endpoint} extends Quarkus's runtime handler base class for the request context and the caller's identity;
 * recheck it (and run {@code .ci/graphql-http.sh}) when Quarkus is upgraded.
 */
@ApplicationScoped
public class GraphQLOverHttp {

    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    static final String JSON = "application/json";
    /** After authentication (-200), path authorization (-100) and the rate limit (-90); before SmallRye's route. */
    private static final int ORDER = -10;

    @Inject
    CurrentIdentityAssociation identity;
    @Inject
    CurrentVertxRequest currentRequest;
    @ConfigProperty(name = "quarkus.smallrye-graphql.root-path")
    String rootPath;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void install(@Observes Router router) {
        String path = rootPath.startsWith("/") ? rootPath : "/" + rootPath;
        Endpoint endpoint = new Endpoint(identity, currentRequest);
        // the body handler leaves WebSocket upgrades alone too
        router.route(path).order(ORDER).handler(BodyHandler.create(false).setBodyLimit(maxBody.asLongValue())).handler(rc -> {
            if (rc.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
                rc.next(); // not GraphQL over HTTP (GraphQLOverWebSocket takes the GET upgrades before)
            } else {
                endpoint.handle(rc);
            }
        });
    }

    /** One request: checked as the spec asks, then executed by SmallRye with the caller's identity. */
    static final class Endpoint extends SmallRyeGraphQLAbstractHandler {

        Endpoint(CurrentIdentityAssociation identity, CurrentVertxRequest currentRequest) {
            super(identity, currentRequest, false);
        }

        @Override
        protected void doHandle(RoutingContext rc) {
            String mediaType = mediaType(rc);
            if (mediaType == null) {
                send(rc, 406, JSON, "not-acceptable", "This endpoint answers application/graphql-response+json or "
                        + "application/json; the Accept header allows neither");
                return;
            }
            String method = rc.request().method().name();
            if ("OPTIONS".equals(method)) {
                // a CORS preflight never gets here: Quarkus's CORS filter answers it before authentication (CorsTest)
                rc.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, "GET, POST").end();
                return;
            }
            JsonObject request;
            try {
                request = switch (method) {
                    case "POST" -> GraphQLRequests.fromBody(rc);
                    case "GET" -> GraphQLRequests.fromQueryString(rc.queryParams());
                    default -> throw new Refusal(405, "method-not-allowed", method + " is not allowed: send queries "
                            + "with GET or POST, mutations with POST");
                };
                GraphQLRequests.check(request);
                if ("GET".equals(method) && GraphQLRequests.isMutation(request)) {
                    throw new Refusal(405, "method-not-allowed", "Mutations are sent with POST, never with GET");
                }
            } catch (Refusal r) {
                if (r.status == 405) {
                    rc.response().putHeader(HttpHeaders.ALLOW, "GET".equals(method) ? "POST" : "GET, POST");
                }
                send(rc, r.status, mediaType, r.code, r.getMessage());
                return;
            }
            ExecutionResponseWriter writer = new ExecutionResponseWriter() {
                @Override
                public void write(ExecutionResponse response) {
                    // no data: the request did not parse, validate or coerce its variables, so nothing ran
                    int status = GRAPHQL_RESPONSE_JSON.equals(mediaType)
                            && !response.getExecutionResult().isDataPresent() ? 400 : 200;
                    JsonObject unavailable = UnavailableErrors.rewrite(response);
                    if (unavailable != null) {
                        rc.response().putHeader(HttpHeaderNames.RETRY_AFTER,
                                Integer.toString(ServiceUnavailable.RETRY_AFTER_SECONDS));
                    }
                    String body = unavailable != null ? unavailable.toString() : response.getExecutionResultAsString();
                    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
                            .end(Buffer.buffer(body, StandardCharsets.UTF_8.name()));
                }

                @Override
                public void fail(Throwable t) {
                    failed(rc, mediaType, t);
                }
            };
            try {
                getExecutionService().executeAsync(request, getMetaData(rc), writer);
            } catch (RuntimeException | StackOverflowError e) {
                failed(rc, mediaType, e);
            }
        }

        /**
         * JSON nested past what SmallRye's stack can convert (a JSON argument overflows the stack before the parser's
         * 1000 levels) fails before anything ran: bad input, not a 500.
         */
        private static void failed(RoutingContext rc, String mediaType, Throwable failure) {
            if (GraphQLRequests.tooDeep(failure) && !rc.response().headWritten()) {
                Refusal tooDeep = GraphQLRequests.TOO_DEEP;
                send(rc, tooDeep.status, mediaType, tooDeep.code, tooDeep.getMessage());
            } else {
                rc.fail(failure);
            }
        }

        /** The media type of the answer: the first the client accepts, in its order of preference; null if none. */
        static String mediaType(RoutingContext rc) {
            List<MIMEHeader> accepted = rc.parsedHeaders().accept();
            if (accepted.isEmpty()) {
                return JSON;
            }
            for (MIMEHeader a : accepted) {
                String q = a.parameter("q");
                if (q != null && q.trim().matches("0(\\.0*)?")) {
                    continue;
                }
                String type = a.component() + "/" + a.subComponent();
                if (GRAPHQL_RESPONSE_JSON.equalsIgnoreCase(type)) {
                    return GRAPHQL_RESPONSE_JSON;
                }
                if (JSON.equalsIgnoreCase(type) || "*/*".equals(type) || "application/*".equalsIgnoreCase(type)) {
                    return JSON;
                }
            }
            return null;
        }

        /** A GraphQL response with one error and no data, as the spec asks of a request that is refused. */
        private static void send(RoutingContext rc, int status, String mediaType, String code, String message) {
            String body = Json.createObjectBuilder().add("errors", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("message", message).add("extensions", Json.createObjectBuilder().add("code", code))))
                    .build().toString();
            rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, mediaType + "; charset=utf-8")
                    .end(body);
        }
    }
}
