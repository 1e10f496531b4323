package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A touchpoint as the API shows it; the history only when one touchpoint is asked for. */
@Schema(name = "Touchpoint")
public record TouchpointView(
        UUID id,
        UUID customerId,
        Channel channel,
        String purpose,
        // GraphQL exposes content through a JSON-scalar resolver in TouchpointGraphQL
        @Ignore Map<String, Object> content,
        TouchpointSource source,
        TouchpointStatus status,
        @Schema(description = "Why it failed or was suppressed") String statusReason,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryEntry> history) {

    @Schema(name = "TouchpointStatusChange", description = "A status the touchpoint went through")
    public record HistoryEntry(TouchpointStatus status, String reason, Instant occurredAt, Instant recordedAt) {
        static HistoryEntry of(TouchpointStatusChange c) {
            return new HistoryEntry(c.getStatus(), c.getReason(), c.getOccurredAt(), c.getRecordedAt());
        }
    }

    static TouchpointView of(Touchpoint t, List<TouchpointStatusChange> history) {
        return new TouchpointView(t.getId(), t.getCustomerId(), t.getChannel(), t.getPurpose(), t.getContent(),
                t.getSource(), t.getStatus(), t.getStatusReason(), t.getCreatedAt(), t.getUpdatedAt(),
                history == null ? null : history.stream().map(HistoryEntry::of).toList());
    }
}
