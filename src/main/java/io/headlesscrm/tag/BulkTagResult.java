package io.headlesscrm.tag;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a bulk request by customer ids did. */
@Schema(name = "BulkTagResult", description = "What a bulk request did")
public record BulkTagResult(
        TagOperation operation,
        List<String> tags,
        @Schema(description = "Distinct customers in the request") int customers,
        @Schema(description = "Assignments created (ASSIGN) or removed (REMOVE)") int changed,
        @Schema(description = "Customer-tag pairs left as they were: already carried (ASSIGN) or not carried (REMOVE)")
        int unchanged) {
}
