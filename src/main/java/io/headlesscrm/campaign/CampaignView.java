package io.headlesscrm.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.touchpoint.Channel;

/** A campaign as the API shows it: its definition, where it is in its lifecycle, and its next run. */
@Schema(name = "Campaign")
public record CampaignView(@Schema(required = true) UUID id, @Schema(required = true) String name, String goal,
        @Schema(required = true) CampaignStatus status, @Schema(required = true) Channel channel,
        @Schema(required = true) String purpose, @Schema(required = true) int priority,
        @Schema(required = true) CampaignInput.Audience audience,
        @Schema(required = true) List<CampaignInput.Variant> variants,
        @Schema(required = true) CampaignInput.Schedule schedule, CampaignInput.Conversion conversion,
        @Schema(required = true) BigDecimal holdoutPercent, @Schema(required = true) List<CampaignInput.Cap> caps,
        CampaignInput.QuietHours quietHours,
        @Schema(required = true, description = "Salts the holdout and A/B hashes (see the README), so anyone can "
                + "recompute an assignment") String salt,
        @Schema(description = "SCHEDULED: when the next run starts") Instant nextRunAt,
        @Schema(required = true) Instant createdAt, @Schema(required = true) Instant updatedAt,
        @Schema(required = true) long version) {

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
