package io.headlesscrm.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.Rows;
import io.vertx.mutiny.sqlclient.Row;

/** An outbox message to one endpoint; its payload and attempt log only when one message is asked for. */
@Schema(name = "WebhookMessage")
public record WebhookMessageView(
        @Schema(required = true) UUID id,
        @Schema(required = true, description = "The webhook-id header it is sent with, the same on every attempt") String webhookId,
        @Schema(required = true) UUID endpointId,
        @Schema(required = true) String eventType,
        @Schema(required = true, description = "PENDING (not tried yet), FAILED (retry scheduled), DELIVERED, DEAD (no retry left, "
                + "or the endpoint was disabled)") State state,
        @Schema(required = true, description = "Attempts made") int attemptCount,
        Instant nextAttemptAt,
        String lastError,
        @Schema(required = true) Instant createdAt,
        Instant deliveredAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(implementation = Map.class, description = "The body sent, exactly; only when one message is asked for, and for touchpoint.created"
                + " only once it was first sent (its body is rendered then)")
        JsonNode payload,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Attempt> attempts) {

    @Schema(name = "WebhookMessageState")
    public enum State {
        PENDING, FAILED, DELIVERED, DEAD
    }

    @Schema(name = "WebhookAttempt", description = "One delivery attempt")
    public record Attempt(@Schema(required = true) Instant attemptedAt, @Schema(description = "Absent when no response came") Integer statusCode,
            @Schema(required = true) int latencyMs, String error, @Schema(description = "The response body's first 1024 characters") String responseExcerpt) {

        static Attempt of(Row r) {
            return new Attempt(Rows.instant(r, "attempted_at"), r.getInteger("status_code"), r.getInteger("latency_ms"),
                    r.getString("error"), r.getString("response_excerpt"));
        }
    }

    /** Columns {@link #of} reads. */
    static final String COLUMNS = "id, endpoint_id, event_type, state, attempts, next_attempt_at, last_error, created_at,"
            + " delivered_at";

    static WebhookMessageView of(Row r, JsonNode payload, List<Attempt> attempts) {
        State state = State.valueOf(r.getString("state"));
        boolean waiting = state == State.PENDING || state == State.FAILED;
        return new WebhookMessageView(r.getUUID("id"), WebhookSender.webhookId(r.getUUID("id")),
                r.getUUID("endpoint_id"), r.getString("event_type"), state, r.getInteger("attempts"),
                waiting ? Rows.instant(r, "next_attempt_at") : null, r.getString("last_error"), Rows.instant(r, "created_at"),
                Rows.instant(r, "delivered_at"), payload, attempts);
    }
}
