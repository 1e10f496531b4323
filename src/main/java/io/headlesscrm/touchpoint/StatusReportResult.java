package io.headlesscrm.touchpoint;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a status report did: APPLIED (the touchpoint moved on), DUPLICATE (nothing) or LATE (history only). */
@Schema(name = "TouchpointStatusReportResult")
public record StatusReportResult(TouchpointStatus.Outcome outcome, TouchpointView touchpoint) {
}
