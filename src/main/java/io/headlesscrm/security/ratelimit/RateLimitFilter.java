package io.headlesscrm.security.ratelimit;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.AuthFailureResponses;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Limits each authenticated client (API key, or token subject) on REST and GraphQL alike: every response
 * carries {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset}; an empty bucket is a 429 with
 * {@code Retry-After}. If Redis cannot answer, requests pass: an outage of the limiter must not become an
 * outage of the CRM. The limits, and whether it limits at all ({@code crm.rate-limit.enabled}), are the
 * limiter's, asked per request: a test may swap in a limiter with other limits, or one that is off.
 */
@ApplicationScoped
public class RateLimitFilter {

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);
    /** Runs after authentication (order -200) and path authorization (-100), before any resource. */
    private static final int ORDER = -90;
    private static final long WARN_EVERY_MILLIS = 30_000;

    @Inject
    RateLimiter limiter;
    @Inject
    AuthFailureResponses responses;

    private final AtomicLong lastWarning = new AtomicLong();

    void install(@Observes Router router) {
        if (limiter.config().enabled()) { // off by configuration: not a step of any request
            router.route().order(ORDER).handler(this::limit);
        }
    }

    private void limit(RoutingContext rc) {
        SecurityIdentity identity = rc.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        RateLimitConfig limits = limiter.config();
        if (identity == null || identity.isAnonymous() || !limits.enabled()) {
            rc.next();
            return;
        }
        Actor actor = Actor.of(identity);
        limiter.acquire(actor.type() + ":" + actor.id()).subscribe().with(decision -> {
            rc.response().putHeader("RateLimit-Limit", Integer.toString(decision.limit()))
                    .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                    .putHeader("RateLimit-Reset", Long.toString(ceilSeconds(decision.resetMillis())));
            if (decision.allowed()) {
                rc.next();
                return;
            }
            long retryAfter = Math.max(1, ceilSeconds(decision.retryAfterMillis()));
            rc.response().putHeader("Retry-After", Long.toString(retryAfter));
            responses.send(rc, new ProblemException(429, "rate-limited", "Too many requests",
                    "The rate limit of " + limits.perSecond() + " requests per second (bursts of " + limits.burst()
                            + ") is used up; retry in " + retryAfter + " s",
                    List.of()));
        }, failure -> {
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
                LOG.warnf("Rate limiting is skipped, Redis did not answer: %s", failure.getMessage());
            }
            rc.next();
        });
    }

    private static long ceilSeconds(long millis) {
        return TimeUnit.MILLISECONDS.toSeconds(millis + 999);
    }
}
