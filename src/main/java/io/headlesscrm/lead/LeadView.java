package io.headlesscrm.lead;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;

/** A lead as the API shows it: whom it is about, what it is, where it is in its lifecycle, and why it exists. */
@Type("Lead")
@Schema(name = "Lead")
public record LeadView(@Schema(required = true) @Id @NonNull UUID id, @Schema(required = true) @Id @NonNull UUID customerId,
        @Schema(required = true, examples = "fridge-sale") @NonNull String type,
        @Schema(required = true) @NonNull LeadPriority priority, @Schema(required = true) int score,
        @Schema(required = true) @NonNull LeadStatus status,
        @Schema(description = "The rep working it: a Keycloak subject or an API key id") String assignee,
        @Schema(required = true) @NonNull Trace trace,
        @Schema(required = true, description = "When the rule fired: its deciding event's time, or the deadline an "
                + "absence passed") @NonNull Instant triggeredAt,
        @Schema(required = true) @NonNull Instant createdAt, @Schema(required = true) @NonNull Instant updatedAt,
        @Schema(required = true) long version,
        @Schema(description = "When the service closes it as EXPIRED if it is still open (the rule's expiresAfter)")
        Instant expiresAt) implements Node {

    /** Why the lead exists: the rule (as it was then) and the events that made it, in step order. */
    @Type("LeadTrace")
    @Schema(name = "LeadTrace")
    public record Trace(@Schema(description = "Absent when the rule was deleted since") UUID ruleId,
            @Schema(required = true) @NonNull String ruleKey, @Schema(required = true) long ruleVersion,
            @Schema(required = true) @NonNull List<@NonNull TraceEvent> events) {

        static Trace of(LeadMatcher.Fire f) {
            return new Trace(f.rule().ruleId(), f.rule().key(), f.rule().version(), f.events());
        }
    }

    /** One step of the trace: the event that met it, or (absent) the time its event had not come by. */
    @Type("LeadTraceEvent")
    @Schema(name = "LeadTraceEvent")
    public record TraceEvent(@Schema(description = "The event (absent for an absence step)") UUID eventId,
            @Schema(required = true, examples = "cart_added") @NonNull String type,
            @Schema(required = true, description = "The event's occurredAt, or the absence's deadline") @NonNull Instant occurredAt,
            @Schema(required = true, description = "The rule step it met (0-based); -1 for a conversion") int step,
            @Schema(required = true, description = "True: the step's event did not happen in time") boolean absent) {
    }

    String etag() {
        return Long.toString(version);
    }
}
