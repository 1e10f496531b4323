package io.headlesscrm.dataio;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/** Documents {@link ImportUpload}, a Vert.x route the annotation scan does not see, as an ordinary operation. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ImportUploadDocs implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        var file = OASFactory.createMediaType().schema(OASFactory.createSchema().type(List.of(SchemaType.STRING)));
        var problem = OASFactory.createContent().addMediaType("application/problem+json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("202", OASFactory.createAPIResponse().description("Stored; the import is QUEUED")
                        .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("#/components/schemas/ImportJob")))))
                .addAPIResponse("400", OASFactory.createAPIResponse().description("The file is not UTF-8").content(problem))
                .addAPIResponse("404", OASFactory.createAPIResponse().description("No such import").content(problem))
                .addAPIResponse("409", OASFactory.createAPIResponse().description("The import is not AWAITING_FILE")
                        .content(problem))
                .addAPIResponse("413", OASFactory.createAPIResponse().description("A record is longer than the body limit")
                        .content(problem))
                .addAPIResponse("415", OASFactory.createAPIResponse().description("Not the import's format").content(problem))
                .addAPIResponse("422", OASFactory.createAPIResponse().description("The CSV header lacks a mapped column")
                        .content(problem));
        String path = ImportResource.PATH + "/{id}/file";
        openAPI.getPaths().addPathItem(path, OASFactory.createPathItem().PUT(OASFactory.createOperation()
                .operationId("uploadImportFile").addTag("Imports").summary("Upload the file of an import")
                .description("Step two: the whole file as the body, of any size (the body limit applies to each record, "
                        + "not to the file): text/csv with a header row (RFC 4180, UTF-8) or application/x-ndjson, as the "
                        + "import's format says. It is stored as it arrives and the import then runs in the background; "
                        + "poll the job. A file that fails leaves nothing stored and can be sent again. Needs customers:import.")
                .addParameter(OASFactory.createParameter().name("id").in(Parameter.In.PATH).required(true)
                        .schema(OASFactory.createSchema().type(List.of(SchemaType.STRING)).format("uuid")))
                .requestBody(OASFactory.createRequestBody().required(true).content(OASFactory.createContent()
                        .addMediaType(FileFormat.CSV.mediaType, file).addMediaType(FileFormat.NDJSON.mediaType, file)))
                .responses(responses)));
    }
}
