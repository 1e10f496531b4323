package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;

/** A touchpoint as the API shows it; the history only when one touchpoint is asked for. */
@Type("Touchpoint")
@Schema(name = "Touchpoint")
public record TouchpointView(
        @Schema(required = true) @Id @NonNull UUID id,
        @Schema(required = true) @Id @NonNull UUID customerId,
        @Schema(required = true) @NonNull Channel channel,
        String purpose,
        // GraphQL exposes content through a JSON-scalar resolver in TouchpointGraphQL
        @Schema(required = true) @Ignore Map<String, Object> content,
        @Schema(required = true) @NonNull TouchpointSource source,
        @Schema(required = true) @NonNull TouchpointStatus status,
        @Schema(description = "Why it failed or was suppressed") String statusReason,
        @Schema(required = true) @NonNull Instant createdAt,
        @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(description = "The campaign run that sent it (source CAMPAIGN)") @Id UUID campaignRunId,
        @Schema(description = "The campaign variant its content came from") String campaignVariant,
        @Schema(description = "The lead whose rule reached the customer (source LEAD); its assignee is the rep")
        @Id UUID leadId,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryEntry> history) implements Node {

    @Schema(name = "TouchpointStatusChange", description = "A status the touchpoint went through")
    public record HistoryEntry(@Schema(required = true) TouchpointStatus status, String reason,
            @Schema(required = true) Instant occurredAt, @Schema(required = true) Instant recordedAt) {
        static HistoryEntry of(TouchpointStatusChange c) {
            return new HistoryEntry(c.getStatus(), c.getReason(), c.getOccurredAt(), c.getRecordedAt());
        }
    }

    static TouchpointView of(Touchpoint t, List<TouchpointStatusChange> history) {
        return new TouchpointView(t.getId(), t.getCustomerId(), t.getChannel(), t.getPurpose(), t.getContent(),
                t.getSource(), t.getStatus(), t.getStatusReason(), t.getCreatedAt(), t.getUpdatedAt(), t.getCampaignRunId(),
                t.getCampaignVariant(), t.getLeadId(),
                history == null ? null : history.stream().map(HistoryEntry::of).toList());
    }
}
