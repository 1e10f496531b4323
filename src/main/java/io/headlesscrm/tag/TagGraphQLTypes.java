package io.headlesscrm.tag;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.PageInfo;

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
