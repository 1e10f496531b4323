package io.headlesscrm.tag;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a bulk request by customer ids did. */
@Schema(name = "BulkTagResult", description = "What a bulk request did")
public record BulkTagResult(
        @Schema(required = true) TagOperation operation,
        @Schema(required = true) List<String> tags,
        @Schema(required = true, description = "Distinct customers in the request (a merged-away customer's id"
                + " counts as the survivor it names)") int customers,
        @Schema(required = true, description = "Assignments created (ASSIGN) or removed (REMOVE)") int changed,
        @Schema(required = true, description = "Customer-tag pairs left as they were: already carried (ASSIGN) or not carried (REMOVE)")
        int unchanged) {
}
