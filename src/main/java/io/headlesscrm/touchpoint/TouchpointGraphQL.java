package io.headlesscrm.touchpoint;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;
import org.eclipse.microprofile.graphql.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Touchpoints over GraphQL: the same {@link TouchpointService} as REST, with Relay paging and userErrors. */
@GraphQLApi
public class TouchpointGraphQL {

    @Inject
    TouchpointService service;
    @Inject
    TouchpointsOfCustomers ofCustomers;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;

    @Input("TouchpointInput")
    @Description("A touchpoint to create; content is {body, subject?} or {templateId, variables?}")
    public record Create(@NonNull @Id String customerId, @NonNull Channel channel, String purpose,
            @NonNull JsonObject content, TouchpointSource source, String idempotencyKey) {
    }

    @Description("Result of createTouchpoint: the touchpoint (QUEUED, or SUPPRESSED with statusReason), or why not")
    public record TouchpointPayload(TouchpointView touchpoint, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Input("TouchpointFilter")
    @Description("All given conditions must hold; the same filters as GET /api/v1/touchpoints")
    public record Filter(@Id String customerId, Channel channel, TouchpointStatus status,
            @Description("Created at or after") Instant createdFrom, @Description("Created before") Instant createdTo) {

        TouchpointFilter toFilter() {
            return new TouchpointFilter(Ids.parse(customerId, "filter.customerId"), channel, status, createdFrom, createdTo);
        }
    }

    @Type("TouchpointConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("TouchpointEdge")
    public record Edge(@NonNull String cursor, @NonNull TouchpointView node) {
    }

    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Query("touchpoints")
    @Description("Touchpoints newest first, page by page (first/after), filtered")
    public Uni<Connection> touchpoints(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, Filter filter) {
        return Uni.createFrom().deferred(() -> {
            int limit = paging.limit(first, "first");
            Cursor cursor = TouchpointService.KEYSET.fromParam(after, "after");
            TouchpointFilter f = filter == null ? new TouchpointFilter(null, null, null, null, null) : filter.toFilter();
            return service.list(f, cursor, limit).map(slice -> connection(slice, cursor));
        });
    }

    /** Batched: the touchpoints of a whole page of customers cost one statement. */
    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Description("The customer's touchpoints newest first, page by page (first/after); to page further, refetch the "
            + "customer with node(id:) and pass after")
    public Uni<List<@NonNull Connection>> touchpoints(@Source List<CustomerView> customers,
            @Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after) {
        return Uni.createFrom().deferred(() -> {
            int limit = paging.limit(first, "first");
            Cursor cursor = TouchpointService.KEYSET.fromParam(after, "after");
            List<UUID> ids = customers.stream().map(CustomerView::id).toList();
            return ofCustomers.pages(ids, cursor, limit)
                    .map(pages -> ids.stream().map(id -> connection(pages.get(id), cursor)).toList());
        });
    }

    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Query("touchpoint")
    @Description("A touchpoint and its history, or null when there is none")
    public Uni<TouchpointView> touchpoint(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.get(Ids.parse(id, "id")))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.TOUCHPOINTS_CREATE)
    @Mutation
    @Description("Reach a customer on a channel. With idempotencyKey, a retried call returns the first result.")
    public Uni<TouchpointPayload> createTouchpoint(@NonNull Create input) {
        return Uni.createFrom().deferred(() -> service.createOne(new TouchpointInput(Ids.parse(input.customerId(), "customerId"),
                input.channel(), input.purpose(), content(input.content()), input.source(), input.idempotencyKey())))
                .map(r -> new TouchpointPayload(r.items().get(0), List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new TouchpointPayload(null, errors)));
    }

    @Description("What the touchpoint says, a JSON object")
    public JsonObject content(@Source TouchpointView touchpoint) throws JsonProcessingException {
        return Json.createReader(new StringReader(mapper.writeValueAsString(touchpoint.content()))).readObject();
    }

    private TouchpointContent content(JsonObject json) {
        try {
            return mapper.readValue(json.toString(), TouchpointContent.class);
        } catch (JsonProcessingException e) {
            throw ProblemException.validation(List.of(new FieldError("content", "must be {body, subject?} or "
                    + "{templateId, variables?}: " + e.getOriginalMessage())));
        }
    }


    private static Connection connection(Page.Slice<TouchpointView> slice, Cursor after) {
        return Connections.of(slice, after, t -> TouchpointService.KEYSET.cursor(t.id(), t.id()), Edge::new, Connection::new);
    }
}
