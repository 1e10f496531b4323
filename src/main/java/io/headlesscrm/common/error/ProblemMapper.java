package io.headlesscrm.common.error;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place REST failures become {@code application/problem+json}. Quarkus and Jackson ship their own
 * mappers for some of these types; naming each type here makes ours the more specific, so it wins.
 */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    /** Method-level security checks; Quarkus's own mappers for these answer without a body. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problems.from(e), uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(respond(Problems.from(e), uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, ProblemResponses.CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response any(Throwable t, UriInfo uri) {
        ProblemException p = Problems.from(t);
        if (p.status() >= 500 && !(p instanceof ServiceUnavailable)) { // an outage is logged once, in respond
            p = InternalFailure.report(t, uri.getPath());
        }
        return respond(p, uri);
    }

    private static Response respond(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(e.toProblem(uri.getPath()));
        if (e instanceof Moved moved) {
            response.location(moved.location(uri.getRequestUri()));
        }
        if (e instanceof ServiceUnavailable unavailable) {
            unavailable.report();
            response.header(HttpHeaders.RETRY_AFTER, unavailable.retryAfterSeconds());
        }
        return response.build();
    }
}
