package io.headlesscrm.common;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Gives every request an id, echoed in the {@code X-Request-Id} response header and recorded with audit rows:
 * the caller's own id when it sends a sane one (so a partner can trace its calls), else a fresh UUID.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "crm.request-id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        // ahead of authentication, so refusals carry the id too
        router.route().order(-1000).handler(rc -> {
            String given = rc.request().getHeader(HEADER);
            String id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
            ContextLocals.put(KEY, id);
            rc.response().putHeader(HEADER, id);
            rc.next();
        });
    }

    /** The current request's id, or null outside a request. */
    public static String current() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(KEY) : null;
    }
}
