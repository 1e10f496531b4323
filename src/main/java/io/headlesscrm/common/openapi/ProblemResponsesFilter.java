package io.headlesscrm.common.openapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.headlesscrm.common.error.Problem;
import io.headlesscrm.common.error.ServiceUnavailable;

/**
 * Documents errors and authentication once for the whole API: every operation takes a bearer token (Keycloak
 * access token or API key) or an {@code X-API-Key}, documents 400, 401, 403, 406, 414, 429, 431, 500 and 503 (the
 * database unavailable), an operation with a body also 413 and 415, one with an If-Match header also 412; every error response has the Problem schema as
 * application/problem+json (as has a redirect, 308). Statuses tied to one operation's meaning (308, 404, 409, 422) are
 * annotated on it.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String BEARER = "bearer";
    private static final String API_KEY = "apiKey";
    private static final String LICENSE_IDENTIFIER = "LicenseRef-Proprietary";

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
        addIfMissing(responses, "406", "The Accept header allows none of the media types this operation answers with");
        if (operation.getRequestBody() != null) {
            if (!streamed(operation)) {
                addIfMissing(responses, "413", "The body is larger than the server accepts (2 MB by default)");
            }
            addIfMissing(responses, "415", "The Content-Type is not one this operation reads");
        }
        if (hasHeader(operation, "If-Match")) {
            addIfMissing(responses, "412", "If-Match does not match the current version");
        }
        addIfMissing(responses, "414", "The request line (path and query) is longer than the server accepts");
        addIfMissing(responses, "429", "Rate limit used up; Retry-After says when to retry");
        addIfMissing(responses, "431", "The request's headers are larger than the server accepts");
        if (!responses.hasAPIResponse("500")) {
            responses.addAPIResponse("500", OASFactory.createAPIResponse().description("Unexpected server error"));
        }
        addIfMissing(responses, "503", ServiceUnavailable.DESCRIPTION);
        for (Map.Entry<String, org.eclipse.microprofile.openapi.models.responses.APIResponse> r : responses
                .getAPIResponses().entrySet()) {
            if (r.getKey().startsWith("3") || r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                r.getValue().setContent(problemContent());
            }
        }
        return operation;
    }

    /** A streamed body (NDJSON) has its limit per line, not a 413 for the whole. */
    private static boolean streamed(Operation operation) {
        var content = operation.getRequestBody().getContent();
        return content != null && content.hasMediaType("application/x-ndjson");
    }

    private static boolean hasHeader(Operation operation, String name) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName()));
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
        // the name comes from quarkus.smallrye-openapi.info-license-name; Quarkus has no setting for the identifier.
        // There is no licence file: the API is proprietary, named with an SPDX user-defined reference.
        if (openAPI.getInfo() != null && openAPI.getInfo().getLicense() != null) {
            openAPI.getInfo().getLicense().setIdentifier(LICENSE_IDENTIFIER);
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
