package io.headlesscrm.security;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.DatabaseUnavailable;
import io.headlesscrm.common.error.InternalFailure;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.ProblemResponses;
import io.headlesscrm.common.error.ServiceUnavailable;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns the HTTP security layer's refusals, which happen before any resource runs, into the same
 * {@code application/problem+json} bodies as every other error: 401 with a {@code WWW-Authenticate} challenge
 * when credentials are missing or bad, 403 when they are good but not enough.
 */
@ApplicationScoped
public class AuthFailureResponses {

    /** The challenge of every 401 (RFC 6750), REST's mappers' and the security layer's alike. */
    public static final String CHALLENGE = ProblemResponses.CHALLENGE;
    private static final String MISSING = "Authentication is required: send a Keycloak access token or an API key "
            + "as 'Authorization: Bearer <token>', or an API key as 'X-API-Key: <key>'";
    private static final String INVALID = "The bearer token is invalid, expired, or not issued for this API";

    /** The attribute of an authentication failure that holds a reason safe to tell the caller. */
    private static final String SAFE_DETAIL = "crm.safe-detail";

    @Inject
    ProblemResponses responses;

    /** An authentication failure whose {@code detail} the 401 body may show. */
    public static AuthenticationFailedException rejected(String detail) {
        return new AuthenticationFailedException(detail, Map.of(SAFE_DETAIL, detail));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            Throwable failure = DefaultAuthFailureHandler.extractRootCause(rc.failure());
            if (rc.response().ended()) {
                return;
            }
            if (DatabaseUnavailable.causedBy(rc.failure())) {
                send(rc, new ServiceUnavailable(rc.failure())); // an API key could not be checked: not a 401
            } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
                unauthorized(rc);
            } else if (failure instanceof ForbiddenException) {
                forbidden(rc);
            } else if (rc.failure() != null) { // a route failed unexpectedly: logged once, with the id the body gives
                send(rc, InternalFailure.report(rc.failure(), rc.request().path()));
            } else {
                rc.next(); // a bare status (rc.fail(404)): Quarkus's own answer
            }
        });
    }

    /** 401: no credentials, or credentials that did not authenticate (the reason, when it is safe to tell). */
    public void unauthorized(RoutingContext rc) {
        String detail;
        AuthenticationFailedException failure = HttpSecurityUtils.getAuthenticationFailureFromEvent(rc);
        if (failure != null && failure.getAttribute(SAFE_DETAIL) != null) {
            detail = failure.getAttribute(SAFE_DETAIL);
        } else if (failure != null) {
            detail = INVALID;
        } else {
            detail = MISSING;
        }
        rc.response().putHeader("WWW-Authenticate", CHALLENGE);
        send(rc, new ProblemException(401, "unauthorized", "Unauthorized", detail, List.of()));
    }

    public void forbidden(RoutingContext rc) {
        send(rc, new ProblemException(403, "forbidden", "Forbidden",
                "Your roles do not allow this operation", List.of()));
    }

    /**
     * For a Vert.x route that reads its body itself (a stream of any length): whether the caller holds
     * {@code permission}. When not, the answer (401 or 403) is sent and what the client still sends is drained.
     */
    public boolean permits(RoutingContext rc, String permission) {
        SecurityIdentity identity = rc.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            refuse(rc, () -> unauthorized(rc));
            return false;
        }
        if (!Permissions.granted(identity, permission)) {
            refuse(rc, () -> forbidden(rc));
            return false;
        }
        return true;
    }

    /** Answers at once; what the client still sends is read and dropped, so it gets the answer, not a reset. */
    public static void refuse(RoutingContext rc, Runnable answer) {
        if (!rc.request().isEnded()) {
            rc.request().handler(dropped -> {
            }).resume();
        }
        answer.run();
    }

    /** Writes {@code problem} as the whole response, unless a response was already sent. */
    public void send(RoutingContext rc, ProblemException problem) {
        responses.send(rc, problem);
    }
}
