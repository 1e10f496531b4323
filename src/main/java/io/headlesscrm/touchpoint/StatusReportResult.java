package io.headlesscrm.touchpoint;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a status report did: APPLIED (the touchpoint moved on), DUPLICATE (nothing) or LATE (history only). */
@Schema(name = "TouchpointStatusReportResult")
public record StatusReportResult(@Schema(required = true) TouchpointStatus.Outcome outcome, @Schema(required = true) TouchpointView touchpoint) {
}
