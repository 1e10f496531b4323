package io.headlesscrm.lead;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rule's work in figures, read live (a few index lookups). */
@Schema(name = "LeadRuleStats")
public record LeadRuleStats(
        @Schema(required = true, description = "Sequences partly matched, waiting for a step or a deadline") long pendingMatches,
        @Schema(description = "The earliest deadline of a pending match (absent: none)") Instant nextDeadline,
        @Schema(required = true, description = "Leads the rule has made") long leads,
        @Schema(required = true, description = "Of them, still open (NEW, ASSIGNED, CONTACTED, QUALIFIED)") long openLeads) {
}
