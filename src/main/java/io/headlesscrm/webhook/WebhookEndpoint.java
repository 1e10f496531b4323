package io.headlesscrm.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.UuidGenerator;

/** A partner system subscribed to events, with its signing secrets sealed by {@link WebhookSecrets}. */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    private String url;
    private String description;
    @Column(name = "event_types")
    private String[] eventTypes;
    private boolean enabled;
    @Column(name = "rate_limit_per_second")
    private Integer rateLimitPerSecond;
    private byte[] secret;
    @Column(name = "previous_secret")
    private byte[] previousSecret;
    @Column(name = "previous_secret_until")
    private Instant previousSecretUntil;
    @Column(name = "failing_since")
    private Instant failingSince;
    @Column(name = "disabled_reason")
    private String disabledReason;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected WebhookEndpoint() {
    }

    WebhookEndpoint(WebhookEndpointInput input, byte[] sealedSecret, Instant now) {
        apply(input, now);
        this.secret = sealedSecret;
        this.createdAt = now;
    }

    void apply(WebhookEndpointInput input, Instant now) {
        url = input.url().trim();
        description = input.description();
        eventTypes = input.eventTypes().stream().distinct().toArray(String[]::new);
        boolean wasEnabled = enabled;
        enabled = input.enabled() == null || input.enabled();
        if (enabled && !wasEnabled) {
            // enabled again by a person: the dispatcher's verdict and the failure streak are over
            disabledReason = null;
            failingSince = null;
        }
        rateLimitPerSecond = input.rateLimitPerSecond();
        updatedAt = now;
    }

    /** A new secret signs from now on; the current one goes on signing beside it until {@code graceUntil}. */
    void rotate(byte[] sealedSecret, Instant graceUntil, Instant now) {
        previousSecret = graceUntil.isAfter(now) ? secret : null;
        previousSecretUntil = previousSecret == null ? null : graceUntil;
        secret = sealedSecret;
        updatedAt = now;
    }

    /** The sealed secrets that sign a delivery at {@code now}: the current one, and the previous one in its grace. */
    static List<byte[]> signingSecrets(byte[] secret, byte[] previousSecret, Instant previousSecretUntil, Instant now) {
        return previousSecret != null && previousSecretUntil != null && previousSecretUntil.isAfter(now)
                ? List.of(secret, previousSecret) : List.of(secret);
    }

    WebhookEndpointInput toInput() {
        return new WebhookEndpointInput(url, List.of(eventTypes), description, enabled, rateLimitPerSecond);
    }

    public UUID getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    Instant getPreviousSecretUntil() {
        return previousSecretUntil;
    }

    Instant getFailingSince() {
        return failingSince;
    }

    String getDisabledReason() {
        return disabledReason;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }
}
