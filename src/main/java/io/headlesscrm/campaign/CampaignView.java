package io.headlesscrm.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.touchpoint.Channel;

/**
 * A campaign as the API shows it: its definition, where it is in its lifecycle, and its next run. GraphQL shows the
 * definition's nested parts as one JSON field (CampaignGraphQL), in the shape REST reads and writes.
 */
@Type("Campaign")
@Schema(name = "Campaign")
public record CampaignView(@Schema(required = true) @Id @NonNull UUID id, @Schema(required = true) @NonNull String name,
        String goal, @Schema(required = true) @NonNull CampaignStatus status,
        @Schema(required = true) @NonNull Channel channel, @Schema(required = true) @NonNull String purpose,
        @Schema(required = true) int priority,
        @Schema(required = true) @Ignore CampaignInput.Audience audience,
        @Schema(required = true) @Ignore List<CampaignInput.Variant> variants,
        @Schema(required = true) @Ignore CampaignInput.Schedule schedule, @Ignore CampaignInput.Conversion conversion,
        @Schema(required = true) @NonNull BigDecimal holdoutPercent,
        @Schema(required = true) @Ignore List<CampaignInput.Cap> caps, @Ignore CampaignInput.QuietHours quietHours,
        @Schema(required = true, description = "Salts the holdout and A/B hashes (see docs/campaigns.md), so anyone can "
                + "recompute an assignment") @NonNull String salt,
        @Schema(description = "SCHEDULED: when the next run starts") Instant nextRunAt,
        @Schema(required = true) @NonNull Instant createdAt, @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(required = true) long version) implements Node {

    static final String DEFAULT_PURPOSE = "marketing";

    static CampaignView of(UUID id, CampaignInput d, CampaignStatus status, String salt, Instant nextRunAt,
            Instant createdAt, Instant updatedAt, long version) {
        return new CampaignView(id, d.name(), d.goal(), status, d.channel(),
                d.purpose() == null ? DEFAULT_PURPOSE : d.purpose(), d.priority() == null ? 0 : d.priority(),
                d.audience(), d.variants(), d.schedule(), d.conversion(),
                d.holdoutPercent() == null ? BigDecimal.ZERO : d.holdoutPercent(), d.caps() == null ? List.of() : d.caps(),
                d.quietHours(), salt, nextRunAt, createdAt, updatedAt, version);
    }

    /** The definition this view shows, as a client would write it back. */
    CampaignInput input() {
        return new CampaignInput(name, goal, audience, channel, purpose, priority, variants, schedule, conversion,
                holdoutPercent, caps, quietHours);
    }

    String etag() {
        return Long.toString(version);
    }
}
