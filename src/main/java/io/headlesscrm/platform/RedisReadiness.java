package io.headlesscrm.platform;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.headlesscrm.common.RedisCalls;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Redis in readiness, as what it is here: an accelerator. Without it tag lookups read PostgreSQL and rate limits
 * are not enforced, but the service still serves, so it stays ready and reports Redis as degraded (Quarkus's
 * own Redis check, which would take the service out of rotation, is off).
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Inject
    RedisCalls redis;

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute(TIMEOUT, "PING")
                .map(pong -> HealthCheckResponse.named("Redis").up().withData("redis", "up").build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("Redis").up()
                        .withData("redis", "degraded: " + e.getMessage()).build());
    }
}
