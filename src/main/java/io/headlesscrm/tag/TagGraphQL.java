package io.headlesscrm.tag;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.headlesscrm.tag.TagGraphQLTypes.AssignTagPayload;
import io.headlesscrm.tag.TagGraphQLTypes.TagKeyPayload;
import io.headlesscrm.tag.TagGraphQLTypes.TagPayload;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Tags over GraphQL: the same services as REST, with Relay paging and userErrors. */
@GraphQLApi
public class TagGraphQL {

    @Inject
    TagService tags;
    @Inject
    CustomerTagService customerTags;
    @Inject
    TagAssignments assignments;
    @Inject
    TagBulkService bulk;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;

    /** Batched: the tags of a whole page of customers cost one statement. */
    @NonNull
    @Description("The customer's tags in key order; expired assignments never show")
    public Uni<List<@NonNull List<@NonNull CustomerTagView>>> tags(@Source List<CustomerView> customers) {
        return assignments.tagsOf(customers.stream().map(CustomerView::id).toList());
    }

    @PermissionsAllowed(Permissions.TAGS_READ)
    @Query("tag")
    @Description("A tag by key, or null when there is none")
    public Uni<TagView> tag(@NonNull String key) {
        return tags.get(key).onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.TAGS_READ)
    @Query("tags")
    @Description("Tags in key order, page by page (first/after), optionally of one category")
    public Uni<TagGraphQLTypes.Connection> tags(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, String category) throws GraphQLException {
        Connections.Request page = Connections.request(paging, first, TagService.KEYSET, after);
        Cursor cursor = page.after();
        int limit = page.limit();
        return tags.list(category, cursor, limit).map(slice -> Connections.of(slice, cursor,
                t -> TagService.KEYSET.cursor(t.key(), t.id()), TagGraphQLTypes.Edge::new, TagGraphQLTypes.Connection::new));
    }

    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Mutation
    @Description("Define a tag")
    public Uni<TagPayload> createTag(@NonNull TagGraphQLTypes.Create input) {
        return Uni.createFrom().deferred(() -> tags.create(input.toInput())).map(t -> new TagPayload(t, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new TagPayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Mutation
    @Description("Change a tag's name, category, description or color. With expectedVersion, only if it is still at that version.")
    public Uni<TagPayload> updateTag(@NonNull String key, @NonNull TagGraphQLTypes.Patch input, Long expectedVersion) {
        ObjectNode patch = mapper.valueToTree(input);
        patch.properties().removeIf(field -> field.getValue().isNull());
        return Uni.createFrom().deferred(() -> tags.patch(key, patch, expectedVersion)).map(t -> new TagPayload(t, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new TagPayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.TAGS_MANAGE)
    @Mutation
    @Description("Delete a tag; one that customers carry needs force, which removes those assignments too")
    public Uni<TagKeyPayload> deleteTag(@NonNull String key, @DefaultValue("false") Boolean force) {
        return Uni.createFrom().deferred(() -> tags.delete(key, Boolean.TRUE.equals(force))).map(v -> new TagKeyPayload(key, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new TagKeyPayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Mutation
    @Description("Assign a tag to a customer (idempotent: assigning again replaces source and expiry)")
    public Uni<AssignTagPayload> assignTag(@NonNull @Id String customerId, @NonNull String key, TagSource source,
            Instant expiresAt) {
        return Uni.createFrom().deferred(() -> customerTags.assign(Ids.parse(customerId, "customerId"), key, source, expiresAt))
                .map(a -> new AssignTagPayload(a.tag(), List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new AssignTagPayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Mutation
    @Description("Remove a tag from a customer")
    public Uni<TagKeyPayload> removeTag(@NonNull @Id String customerId, @NonNull String key) {
        return Uni.createFrom().deferred(() -> customerTags.remove(Ids.parse(customerId, "customerId"), key))
                .map(v -> new TagKeyPayload(key, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new TagKeyPayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Mutation
    @Description("Assign or remove tags on many customers: by customerIds at once and all or nothing (an unknown tag "
            + "or customer is a userError naming it, and nothing is written), or by filter as a background job")
    public Uni<TagGraphQLTypes.BulkTagPayload> changeTags(@NonNull TagGraphQLTypes.Bulk input) {
        return Uni.createFrom().deferred(() -> {
            BulkTagInput in = input.toInput();
            return in.filter() != null && in.customerIds() == null
                    ? bulk.submit(in).map(job -> new TagGraphQLTypes.BulkTagPayload(null, job, List.of()))
                    : bulk.apply(in).map(result -> new TagGraphQLTypes.BulkTagPayload(result, null, List.of()));
        }).onFailure().recoverWithUni(UserError.recover(errors -> new TagGraphQLTypes.BulkTagPayload(null, null, errors)));
    }

    @PermissionsAllowed(Permissions.CUSTOMERS_TAG)
    @Query("tagJob")
    @Description("A background tag job, or null when there is none: its progress, and the final count once finished")
    public Uni<TagJobView> tagJob(@NonNull @Id String id) {
        return bulk.job(Ids.parse(id, "id")).onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

}
