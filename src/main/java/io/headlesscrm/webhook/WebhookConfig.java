package io.headlesscrm.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhooks: how secrets are kept, where endpoints may point, how messages are sent and how long they are kept. */
@ConfigMapping(prefix = "crm.webhook")
public interface WebhookConfig {

    /**
     * Base64 of the 32-byte AES-256-GCM key that encrypts signing secrets at rest; unset, one is generated into the
     * data directory (see {@link WebhookSecrets}).
     */
    Optional<String> secretKey();

    /** CIDRs endpoints may resolve to although they are not public addresses (see {@link EndpointUrls}). */
    Optional<List<String>> allowlist();

    /** An endpoint whose deliveries have all failed for this long is disabled (and the audit log says so). */
    @WithDefault("5d")
    Duration disableAfter();

    /** Delivered and dead messages (and their attempt log) are deleted after this. */
    @WithDefault("30d")
    Duration retention();

    /** How each instance sends (see {@link WebhookDispatcher}). */
    Dispatch dispatch();

    /** The dispatcher on one instance. */
    interface Dispatch {

        /** Whether this instance sends at all (any number of instances may). */
        @WithDefault("true")
        boolean enabled();

        /** Due messages claimed per query. */
        @WithDefault("200")
        int batchSize();

        /** Requests under way at once. */
        @WithDefault("400")
        int maxInFlight();

        /** How often an idle instance looks for due messages (it also looks at once after its own commits). */
        @WithDefault("250ms")
        Duration pollEvery();

        /** How long a claimed message stays with an instance: longer than connect + request timeouts. */
        @WithDefault("60s")
        Duration lease();

        @WithDefault("5s")
        Duration connectTimeout();

        /** The whole request, after which it is reset. */
        @WithDefault("15s")
        Duration requestTimeout();

        /** Keep-alive connections per endpoint address. */
        @WithDefault("64")
        int connectionsPerEndpoint();
    }
}
