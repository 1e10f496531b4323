package io.headlesscrm.touchpoint;

import java.io.StringReader;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Touchpoints over GraphQL: the same {@link TouchpointService} as REST, with userErrors. */
@GraphQLApi
public class TouchpointGraphQL {

    @Inject
    TouchpointService service;
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

    @PermissionsAllowed(Permissions.TOUCHPOINTS_READ)
    @Query("touchpoint")
    @Description("A touchpoint and its history, or null when there is none")
    public Uni<TouchpointView> touchpoint(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.get(uuid(id, "id")))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.TOUCHPOINTS_CREATE)
    @Mutation
    @Description("Reach a customer on a channel. With idempotencyKey, a retried call returns the first result.")
    public Uni<TouchpointPayload> createTouchpoint(@NonNull Create input) {
        return Uni.createFrom().deferred(() -> service.createOne(new TouchpointInput(uuid(input.customerId(), "customerId"),
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

    private static UUID uuid(String id, String field) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError(field, "is not a UUID")));
        }
    }
}
