package io.headlesscrm.tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.customer.CustomerFilter;
import io.headlesscrm.security.Actor;

/** A background tag job as clients poll it. */
@Type("TagJob")
@Schema(name = "TagJob", description = "A bulk tag change over a customer filter, run in the background")
public record TagJobView(
        @Schema(required = true) @NonNull @Id UUID id,
        @Schema(required = true) @NonNull TagOperation operation,
        @Schema(required = true) @NonNull List<@NonNull String> tags,
        @Schema(required = true) @Ignore CustomerFilter filter,
        @Schema(required = true) TagSource source,
        Instant expiresAt,
        @Schema(required = true) @NonNull TagJobStatus status,
        @Schema(description = "Customers matching the filter when the job started; absent until then") Long total,
        @Schema(required = true, description = "Customers covered so far") long processed,
        @Schema(required = true, description = "Assignments created (ASSIGN) or removed (REMOVE) so far; the final count once finished")
        long changed,
        @Schema(description = "Why the job failed") String error,
        @Schema(required = true) Actor createdBy,
        @Schema(required = true) Instant createdAt,
        Instant startedAt,
        Instant finishedAt) implements Node {

    static TagJobView of(TagJob job, CustomerFilter filter) {
        return new TagJobView(job.getId(), job.getOperation(), job.getTagKeys(), filter, job.getSource(),
                job.getExpiresAt(), job.getStatus(), job.getTotal(), job.getProcessed(), job.getChanged(),
                job.getError(), job.getActor(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
    }
}
