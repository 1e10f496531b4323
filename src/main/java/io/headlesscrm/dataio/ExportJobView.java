package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.security.Actor;

/** An export job as clients poll it. */
@Schema(name = "ExportJob", description = "A customer export, written in the background; its file is downloadable "
        + "from fileUrl once SUCCEEDED, until expiresAt")
public record ExportJobView(
        @Schema(required = true) UUID id,
        @Schema(required = true) FileFormat format,
        @Schema(required = true) CustomerFilter filter,
        @Schema(required = true) List<String> fields,
        @Schema(required = true) boolean tags,
        @Schema(required = true) List<String> buckets,
        @Schema(required = true, description = "Email and phone are masked, as the API masks them for the requester")
        boolean masked,
        @Schema(required = true) ExportStatus status,
        @Schema(required = true, description = "Customers written so far") long rows,
        @Schema(required = true, description = "Size of the file written so far, in bytes") long bytes,
        @Schema(description = "Why the export failed") String error,
        @Schema(required = true, description = "Where to GET the file once SUCCEEDED") String fileUrl,
        @Schema(required = true) Actor createdBy,
        @Schema(required = true) Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "When the file is deleted") Instant expiresAt) {

    static ExportJobView of(ExportJob job, CustomerFilter filter) {
        return new ExportJobView(job.id, job.format, filter, List.of(job.fields), job.tags, List.of(job.buckets),
                job.masked, job.status, job.rows, job.bytes, job.error, ExportResource.PATH + "/" + job.id + "/file",
                job.requester.actor(), job.createdAt, job.startedAt, job.finishedAt, job.expiresAt);
    }
}
