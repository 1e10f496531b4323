package io.headlesscrm.dataio;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.security.Actor;

/** An import job as clients poll it. */
@Schema(name = "ImportJob", description = "A customer import, run in the background once its file is uploaded")
public record ImportJobView(
        @Schema(required = true) UUID id,
        @Schema(required = true) FileFormat format,
        @Schema(required = true) CustomerBatch.MatchKey matchKey,
        @Schema(required = true) CustomerBatch.Mode mode,
        @Schema(required = true) Map<String, String> columns,
        @Schema(required = true) boolean webhooks,
        @Schema(required = true) ImportStatus status,
        @Schema(description = "Rows in the uploaded file; absent until it is uploaded") Long total,
        @Schema(required = true, description = "Rows read so far") long read,
        @Schema(required = true) long created,
        @Schema(required = true) long updated,
        @Schema(required = true, description = "Rows that matched a customer and changed nothing") long unchanged,
        @Schema(required = true, description = "Rows that failed; their reasons are in the error report") long failed,
        @Schema(description = "Why the job failed as a whole") String error,
        @Schema(required = true, description = "Where to PUT the file while the job is AWAITING_FILE") String uploadUrl,
        @Schema(required = true, description = "The error report: one CSV line per problem of a failed row") String errorsUrl,
        @Schema(required = true) Actor createdBy,
        @Schema(required = true) Instant createdAt,
        Instant uploadedAt,
        Instant startedAt,
        Instant finishedAt) {

    static ImportJobView of(ImportJob job) {
        String self = ImportResource.PATH + "/" + job.id;
        return new ImportJobView(job.id, job.format, job.matchKey, job.mode, job.columns, job.webhooks, job.status,
                job.total, job.read, job.created, job.updated, job.unchanged, job.failed, job.error, self + "/file",
                self + "/errors", job.requester.actor(), job.createdAt, job.uploadedAt, job.startedAt, job.finishedAt);
    }
}
