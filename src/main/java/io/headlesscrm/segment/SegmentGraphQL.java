package io.headlesscrm.segment;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;
import org.eclipse.microprofile.graphql.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Segments over GraphQL: the same service and rules as REST, domain errors as userErrors. */
@GraphQLApi
public class SegmentGraphQL {

    @Inject
    SegmentService service;
    @Inject
    SegmentMemberships memberships;
    @Inject
    SegmentCounts counts;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;

    @Type("SegmentConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("SegmentEdge")
    public record Edge(@NonNull String cursor, @NonNull SegmentView node) {
    }

    @Type("SegmentPayload")
    public record Payload(SegmentView segment, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Type("DeleteSegmentPayload")
    public record DeletePayload(@Id String id, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Input("AudienceInput")
    @Description("An audience: whoever matches the condition (see docs/segments.md, Segment conditions)")
    public record AudienceInput(@NonNull String key, @NonNull String name, String description,
            @NonNull JsonObject condition) {
    }

    @Input("BucketInput")
    @Description("A bucket; every bucket but the last has a condition, the last (the catch-all) none")
    public record BucketInput(@NonNull String key, @NonNull String name, JsonObject condition) {
    }

    @Input("DimensionInput")
    public record DimensionInput(@NonNull String key, @NonNull String name, String description,
            @NonNull List<@NonNull BucketInput> buckets) {
    }

    @Input("SegmentPatchInput")
    @Description("Fields to change; omitted or null fields stay. condition (an audience) and buckets (a dimension, the "
            + "whole ordered list) replace the old ones whole.")
    public record PatchInput(String name, String description, JsonObject condition, List<BucketInput> buckets) {
    }

    /** Batched: the segments of a whole page of customers cost one statement. */
    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @NonNull
    @Description("The customer's bucket in every dimension, then the audiences it is in")
    public Uni<List<@NonNull List<SegmentMemberships.@NonNull Membership>>> segments(@Source List<CustomerView> customers) {
        return memberships.of(customers.stream().map(CustomerView::id).toList());
    }

    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Query("segment")
    @Description("A segment (either kind) by id, or null when there is none")
    public Uni<SegmentView> segment(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.get(Ids.parse(id, "id")))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.SEGMENTS_READ)
    @Query("segments")
    @Description("Saved segments oldest first, page by page (first/after), optionally of one kind")
    public Uni<Connection> segments(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, SegmentKind kind) throws GraphQLException {
        Connections.Request page = Connections.request(paging, first, SegmentRepository.KEYSET, after);
        Cursor cursor = page.after();
        int limit = page.limit();
        return service.list(kind, cursor, limit).map(slice -> Connections.of(slice, cursor,
                s -> SegmentRepository.KEYSET.cursor(null, s.id()), Edge::new, Connection::new));
    }

    @Description("AUDIENCE: its condition, a JSON object")
    public JsonObject condition(@Source SegmentView segment) {
        return Jsons.jsonp(mapper, segment.condition());
    }

    @Description("The bucket's condition, a JSON object; null on a dimension's catch-all")
    public JsonObject condition(@Source SegmentView.Bucket bucket) {
        return Jsons.jsonp(mapper, bucket.condition());
    }

    @Description("Members per bucket, a point per day (UTC) from daily snapshots, today's live; at most 366 days")
    public Uni<SegmentCounts.Series> counts(@Source SegmentView segment,
            @Description("First day, YYYY-MM-DD (default: 29 days before to)") String from,
            @Description("Last day, YYYY-MM-DD (default: today)") String to) {
        return Uni.createFrom().deferred(() -> {
            LocalDate last = SegmentCounts.day(to, "to", LocalDate.now(ZoneOffset.UTC));
            LocalDate first = SegmentCounts.day(from, "from", last.minusDays(29));
            SegmentCounts.range(first, last);
            return counts.series(segment, first, last);
        });
    }

    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Mutation
    @Description("Save an audience; its members are computed in the background")
    public Uni<Payload> createAudience(@NonNull AudienceInput input) {
        return Uni.createFrom().deferred(() -> service.createAudience(mapper.convertValue(tree(input),
                SegmentInput.Audience.class))).map(s -> new Payload(s, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new Payload(null, errors)));
    }

    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Mutation
    @Description("Define a dimension: ordered buckets, the last the catch-all")
    public Uni<Payload> createDimension(@NonNull DimensionInput input) {
        return Uni.createFrom().deferred(() -> service.createDimension(mapper.convertValue(tree(input),
                SegmentInput.Dimension.class), false)).map(s -> new Payload(s, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new Payload(null, errors)));
    }

    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Mutation
    @Description("Change a segment. With expectedVersion, only if it is still at that version.")
    public Uni<Payload> updateSegment(@NonNull @Id String id, @NonNull PatchInput input, Long expectedVersion) {
        return Uni.createFrom().deferred(() -> service.patch(Ids.parse(id, "id"), tree(input), expectedVersion))
                .map(s -> new Payload(s, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new Payload(null, errors)));
    }

    @PermissionsAllowed(Permissions.SEGMENTS_MANAGE)
    @Mutation
    @Description("Delete a segment that is not built in and that no other segment reads")
    public Uni<DeletePayload> deleteSegment(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.delete(Ids.parse(id, "id"))).map(v -> new DeletePayload(id, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new DeletePayload(null, errors)));
    }

    /** An input as the REST body it stands for, without null members; JSON scalars as plain JSON. */
    private ObjectNode tree(AudienceInput in) {
        return fields(in.key(), in.name(), in.description()).set("condition", node(in.condition()));
    }

    private ObjectNode tree(DimensionInput in) {
        return fields(in.key(), in.name(), in.description()).set("buckets", buckets(in.buckets()));
    }

    private ObjectNode tree(PatchInput in) {
        ObjectNode node = fields(null, in.name(), in.description());
        if (in.condition() != null) {
            node.set("condition", node(in.condition()));
        }
        if (in.buckets() != null) {
            node.set("buckets", buckets(in.buckets()));
        }
        return node;
    }

    private ObjectNode fields(String key, String name, String description) {
        ObjectNode node = mapper.createObjectNode();
        for (String[] f : new String[][] { { "key", key }, { "name", name }, { "description", description } }) {
            if (f[1] != null) {
                node.put(f[0], f[1]);
            }
        }
        return node;
    }

    private JsonNode buckets(List<BucketInput> buckets) {
        var array = mapper.createArrayNode();
        if (buckets.contains(null)) { // a list of nullable inputs, as the schema has long said
            throw ProblemException.validation(List.of(new io.headlesscrm.common.error.FieldError("buckets",
                    "must not contain null")));
        }
        buckets.forEach(b -> {
            ObjectNode bucket = fields(b.key(), b.name(), null);
            if (b.condition() != null) {
                bucket.set("condition", node(b.condition()));
            }
            array.add(bucket);
        });
        return array;
    }

    private JsonNode node(JsonObject json) {
        try {
            return mapper.readTree(json.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
