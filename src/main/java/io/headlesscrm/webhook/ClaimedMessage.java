package io.headlesscrm.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message the dispatcher claimed, with what sending it needs from its endpoint. A message written without a body
 * names its subject; its body is rendered at the claim, or stays null when the subject is gone.
 */
record ClaimedMessage(UUID id, UUID endpointId, String type, String body, UUID subject, Instant createdAt, int attempts,
        String state, String url, boolean enabled, Integer ratePerSecond, List<byte[]> secrets, Instant failingSince) {

    ClaimedMessage withBody(String rendered) {
        return new ClaimedMessage(id, endpointId, type, rendered, subject, createdAt, attempts, state, url, enabled,
                ratePerSecond, secrets, failingSince);
    }
}
