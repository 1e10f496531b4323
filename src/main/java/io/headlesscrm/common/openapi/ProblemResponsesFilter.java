package io.headlesscrm.common.openapi;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.headlesscrm.common.error.Problem;

/**
 * Documents errors once for the whole API: every error response an operation declares gets the Problem schema
 * as application/problem+json, and every operation also documents 400 (malformed input) and 500.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            return operation;
        }
        if (!responses.hasAPIResponse("400")) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse()
                    .description("Malformed JSON, a field of the wrong type, or an invalid parameter"));
        }
        if (!responses.hasAPIResponse("500")) {
            responses.addAPIResponse("500", OASFactory.createAPIResponse().description("Unexpected server error"));
        }
        for (Map.Entry<String, org.eclipse.microprofile.openapi.models.responses.APIResponse> r : responses
                .getAPIResponses().entrySet()) {
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                r.getValue().setContent(problemContent());
            }
        }
        return operation;
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // Problem is only referenced from here, so make sure the scanner's schema is kept
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
                || !openAPI.getComponents().getSchemas().containsKey("Problem")) {
            throw new IllegalStateException("Problem schema missing from OpenAPI components");
        }
    }
}
