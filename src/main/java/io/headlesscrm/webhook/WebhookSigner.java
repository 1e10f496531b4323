package io.headlesscrm.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * The Standard Webhooks headers of one delivery, signed with the reference library: {@code webhook-id} (the
 * message's, the same on every retry), {@code webhook-timestamp} (seconds) and {@code webhook-signature}, one
 * {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>} per current secret, space-separated (during a rotation's
 * grace period, the new secret's and the old one's).
 */
final class WebhookSigner {

    private WebhookSigner() {
    }

    static Map<String, String> headers(String messageId, long timestampSeconds, String body, List<String> secrets) {
        List<String> signatures = new ArrayList<>();
        for (String secret : secrets) {
            try {
                signatures.add(new Webhook(secret).sign(messageId, timestampSeconds, body));
            } catch (WebhookSigningException | EmptyWebhookSecretException e) {
                throw new IllegalStateException("Cannot sign webhook " + messageId, e);
            }
        }
        return Map.of("webhook-id", messageId, "webhook-timestamp", Long.toString(timestampSeconds),
                "webhook-signature", String.join(" ", signatures));
    }
}
