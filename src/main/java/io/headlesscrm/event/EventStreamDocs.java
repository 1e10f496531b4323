package io.headlesscrm.event;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/** Documents {@link EventStream}, a Vert.x route the annotation scan does not see, as an ordinary operation. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class EventStreamDocs implements OASFilter {

    private static final String RESULT = "EventStreamResult";
    private static final String LINE = "RejectedEventLine";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema(LINE, object(Map.of("line", integer("Line number, from 1"), "errors",
                OASFactory.createSchema().type(List.of(SchemaType.ARRAY))
                        .items(OASFactory.createSchema().ref("#/components/schemas/FieldError"))), "line", "errors")
                .description("A rejected line and why"));
        openAPI.getComponents().addSchema(RESULT, object(Map.of("lines", integer("Non-blank lines read"),
                "accepted", integer("Events stored"), "duplicates", integer("Replays of events stored before"),
                "rejected", integer("Lines rejected"), "errors", OASFactory.createSchema()
                        .type(List.of(SchemaType.ARRAY)).description("The first 1000 rejected lines, in line order")
                        .items(OASFactory.createSchema().ref("#/components/schemas/" + LINE))),
                "lines", "accepted", "duplicates", "rejected", "errors")
                .description("What a stream of events did"));
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("Every line stored, replayed or rejected")
                        .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("#/components/schemas/" + RESULT)))));
        openAPI.getPaths().addPathItem(EventStream.PATH, OASFactory.createPathItem().POST(OASFactory.createOperation()
                .operationId("streamEvents").addTag("Events").summary("Record events from an NDJSON stream of any length")
                .description("For back-fills: one event per line, as in POST /api/v1/events, read and stored 1000 at a "
                        + "time while the body arrives (it is never held whole). The body limit applies to each line, not "
                        + "to the stream. A malformed, invalid or over-long line is rejected with its line number and the "
                        + "stream goes on; blank lines are skipped. Needs events:write.")
                .requestBody(OASFactory.createRequestBody().required(true).content(OASFactory.createContent()
                        .addMediaType(EventStream.NDJSON, OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .type(List.of(SchemaType.STRING)).description("Events as JSON objects, one per line")))))
                .responses(responses)));
    }

    private static Schema integer(String description) {
        return OASFactory.createSchema().type(List.of(SchemaType.INTEGER)).format("int64").description(description);
    }

    private static Schema object(Map<String, Schema> properties, String... required) {
        Schema schema = OASFactory.createSchema().type(List.of(SchemaType.OBJECT)).required(List.of(required));
        new java.util.TreeMap<>(properties).forEach(schema::addProperty);
        return schema;
    }
}
