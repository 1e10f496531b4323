package io.headlesscrm.common.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long an {@code Idempotency-Key} is remembered (see {@link IdempotencyStore}). */
@ConfigMapping(prefix = "crm.idempotency")
public interface IdempotencyConfig {

    /** Keys are a retry aid, not an archive: forgotten after this. */
    @WithDefault("24h")
    Duration retention();
}
