package io.headlesscrm.tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.customer.CustomerGraphQLInputs;

/** GraphQL inputs and payloads of the tag operations; validation is the service's, reported as userErrors. */
final class TagGraphQLTypes {

    private TagGraphQLTypes() {
    }

    @Input("TagInput")
    @Description("A new tag definition")
    public record Create(@NonNull String key, @NonNull String name, String category, String description, String color) {

        TagInput toInput() {
            return new TagInput(key, name, category, description, color);
        }
    }

    @Input("TagPatchInput")
    @Description("Fields to change; omitted or null fields stay as they are (the key cannot change)")
    public record Patch(String name, String category, String description, String color) {
    }

    @Input("BulkTagInput")
    @Description("Tags to assign to or remove from many customers. Give exactly one of customerIds (at most 1000: "
            + "applied at once, all or nothing) and filter (a background job: poll tagJob).")
    public record Bulk(@NonNull TagOperation operation, @NonNull List<@NonNull String> tags,
            @Id List<String> customerIds, CustomerGraphQLInputs.Filter filter, TagSource source,
            Instant expiresAt) {

        BulkTagInput toInput() {
            List<UUID> ids = null;
            if (customerIds != null) {
                ids = new ArrayList<>();
                for (int i = 0; i < customerIds.size(); i++) {
                    ids.add(Ids.parse(customerIds.get(i), "customerIds[" + i + "]"));
                }
            }
            return new BulkTagInput(operation, tags, ids, filter == null ? null : CustomerGraphQLInputs.Filter.of(filter),
                    source, expiresAt);
        }
    }

    @Description("Result of changeTags: what it did (customerIds), or the job it started (filter), or why not")
    public record BulkTagPayload(BulkTagResult result, TagJobView job, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Type("TagConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("TagEdge")
    public record Edge(@NonNull String cursor, @NonNull TagView node) {
    }

    @Description("Result of createTag and updateTag: the tag, or why not")
    public record TagPayload(TagView tag, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Description("Result of assignTag: the assignment, or why not")
    public record AssignTagPayload(CustomerTagView customerTag, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Description("Result of deleteTag and removeTag: the key of the tag deleted or removed, or why not")
    public record TagKeyPayload(String key, @NonNull List<@NonNull UserError> userErrors) {
    }
}
