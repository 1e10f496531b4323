package io.headlesscrm.segment;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerService;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.headlesscrm.segment.condition.ConditionCompiler;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/segments/preview")
@Tag(name = "Segments", description = "Audiences described by conditions over customers, tags and events")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentPreviewResource {

    static final int FIRST = 20;

    @Inject
    ConditionCompiler compiler;
    @Inject
    CustomerService customers;

    @Schema(name = "SegmentPreviewInput")
    public record Input(@Schema(required = true, description = "A condition tree: and / or / not over attr, tags and "
            + "event conditions (see docs/segments.md, Segment conditions)") JsonNode condition) {
    }

    @Schema(name = "SegmentPreview")
    public record Preview(@Schema(required = true, description = "Customers the condition selects now") long count,
            @Schema(required = true, description = "The first 20 of them, by id") List<CustomerView> items) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Operation(operationId = "previewSegment", summary = "Count and sample the customers an unsaved condition selects",
            description = "The condition is compiled to one SQL query; nothing is saved. A malformed tree, an unknown "
                    + "attribute, event property or tag, a value of the wrong type, or a tree too deep (10) or large "
                    + "(200 nodes) is a 422 whose errors carry the JSON Pointer of each offending node.")
    @APIResponse(responseCode = "200", description = "How many match, and the first few",
            content = @Content(schema = @Schema(implementation = Preview.class)))
    @APIResponse(responseCode = "422", description = "The condition is invalid; errors[].pointer says where")
    public Uni<Preview> preview(Input input) {
        if (input == null || input.condition() == null) {
            throw ProblemException.validation(List.of(new FieldError("condition", "is required")));
        }
        return compiler.compile(input.condition()).flatMap(c -> customers.matching(c.sql(), FIRST))
                .map(m -> new Preview(m.count(), m.first()));
    }
}
