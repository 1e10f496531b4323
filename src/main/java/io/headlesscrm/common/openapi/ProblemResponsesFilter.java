package io.headlesscrm.common.openapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.headlesscrm.common.error.Problem;

/**
 * Documents errors and authentication once for the whole API: every operation takes a bearer token (Keycloak
 * access token or API key) or an {@code X-API-Key}, documents 400, 401, 403, 429 and 500, and every error
 * response has the Problem schema as application/problem+json.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String BEARER = "bearer";
    private static final String API_KEY = "apiKey";

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
        addIfMissing(responses, "401", "Missing, malformed, expired or revoked credentials (with WWW-Authenticate)");
        addIfMissing(responses, "403", "The caller's roles do not allow this operation");
        addIfMissing(responses, "429", "Rate limit used up; Retry-After says when to retry");
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

    private static void addIfMissing(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
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
        openAPI.getComponents()
                .addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").description("A Keycloak access token, or an API key (hcrm_…)"))
                .addSecurityScheme(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("X-API-Key").description("An API key (hcrm_…)"));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER),
                OASFactory.createSecurityRequirement().addScheme(API_KEY)));
    }
}
