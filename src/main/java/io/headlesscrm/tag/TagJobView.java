package io.headlesscrm.tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.security.Actor;

/** A background tag job as clients poll it. */
@Type("TagJob")
@Schema(name = "TagJob", description = "A bulk tag change over a customer filter, run in the background")
public record TagJobView(
        @NonNull @Id UUID id,
        @NonNull TagOperation operation,
        @NonNull List<@NonNull String> tags,
        @Ignore CustomerFilter filter,
        TagSource source,
        Instant expiresAt,
        @NonNull TagJobStatus status,
        @Schema(description = "Customers matching the filter when the job started; absent until then") Long total,
        @Schema(description = "Customers covered so far") long processed,
        @Schema(description = "Assignments created (ASSIGN) or removed (REMOVE) so far; the final count once finished")
        long changed,
        @Schema(description = "Why the job failed") String error,
        Actor createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    static TagJobView of(TagJob job, CustomerFilter filter) {
        return new TagJobView(job.getId(), job.getOperation(), job.getTagKeys(), filter, job.getSource(),
                job.getExpiresAt(), job.getStatus(), job.getTotal(), job.getProcessed(), job.getChanged(),
                job.getError(), job.getActor(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
    }
}
