package io.headlesscrm.contract;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The response validator itself, on hand-written responses: it must catch what a strict client would reject. */
class OpenApiResponsesTest {

    private static final String CUSTOMER = """
            {"id": "0193a6a2-5a4e-7b1c-9d2e-3f4a5b6c7d8e", "type": "INDIVIDUAL", "name": "Ada", "attributes": {},
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "version": 0%s}""";
    private static final String PATH = "/api/v1/customers/0193a6a2-5a4e-7b1c-9d2e-3f4a5b6c7d8e";
    private final OpenApiResponses validator = OpenApiResponses.instance();

    @Test
    void acceptsAResponseAsDocumented() {
        assertThatCode(() -> validator.check("GET", PATH, 200, "application/json", CUSTOMER.formatted("")))
                .doesNotThrowAnyException();
        assertThatCode(() -> validator.check("GET", PATH, 404, "application/problem+json",
                "{\"type\": \"https://headless-crm.dev/problems/not-found\", \"title\": \"Not found\", \"status\": 404}"))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsANullWhereTheDocumentSaysString() {
        assertThatThrownBy(() -> validator.check("GET", PATH, 200, "application/json",
                CUSTOMER.formatted(", \"email\": null"))).isInstanceOf(AssertionError.class).hasMessageContaining("email");
    }

    @Test
    void rejectsAMissingRequiredFieldAndAMalformedFormat() {
        assertThatThrownBy(() -> validator.check("GET", PATH, 200, "application/json",
                CUSTOMER.formatted("").replace("\"name\": \"Ada\",", ""))).hasMessageContaining("name");
        assertThatThrownBy(() -> validator.check("GET", PATH, 200, "application/json",
                CUSTOMER.formatted(", \"registeredAt\": \"yesterday\""))).hasMessageContaining("registeredAt");
    }

    @Test
    void rejectsAnUndocumentedStatusMediaTypeOrOperation() {
        assertThatThrownBy(() -> validator.check("GET", PATH, 418, "application/json", "{}"))
                .hasMessageContaining("does not document");
        assertThatThrownBy(() -> validator.check("GET", PATH, 200, "text/plain", "hi"))
                .hasMessageContaining("media type");
        assertThatThrownBy(() -> validator.check("PATCH", "/api/v1/me", 200, "application/json", "{}"))
                .hasMessageContaining("no operation");
        assertThatCode(() -> validator.check("PATCH", "/api/v1/me", 405, "application/problem+json",
                "{\"type\": \"https://headless-crm.dev/problems/method-not-allowed\", \"title\": \"Method not allowed\", "
                        + "\"status\": 405}")).doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.check("DELETE", PATH, 204, null, "{}"))
                .hasMessageContaining("declares none");
    }

    @Test
    void prefersALiteralSegmentToAParameter() {
        assertThatThrownBy(() -> validator.check("POST", "/api/v1/touchpoints/batch", 200, "application/json",
                "{\"items\": \"not a list\"}")).hasMessageContaining("createTouchpoints");
    }
}
