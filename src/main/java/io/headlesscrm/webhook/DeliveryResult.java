package io.headlesscrm.webhook;

import java.time.Instant;

/**
 * What became of a claimed message, as {@link WebhookSender} hands it to {@link DeliveryResults}: an attempt
 * ({@code attempted} true, with its answer) or not (the endpoint is disabled, rate limited, or the subject is gone:
 * the message moves to {@code deferState} until {@code deferUntil}).
 */
record DeliveryResult(ClaimedMessage message, boolean attempted, Instant attemptedAt, Integer status, String retryAfter,
        int latencyMs, String error, String excerpt, String deferState, Instant deferUntil) {

    static DeliveryResult deferred(ClaimedMessage m, String state, Instant until, String error) {
        return new DeliveryResult(m, false, null, null, null, 0, error, null, state, until);
    }

    DeliveryResult withRetryAfter(String value) {
        return new DeliveryResult(message, attempted, attemptedAt, status, value, latencyMs, error, excerpt, deferState,
                deferUntil);
    }
}
