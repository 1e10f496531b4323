package io.headlesscrm.platform;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Credentials;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A single-page app on another origin (the test profile's {@code crm.cors.origins}) can call REST and GraphQL:
 * its preflights are answered before authentication and rate limiting (a preflight carries no credentials), and
 * the headers it sends and reads are allowed and exposed. Other origins are refused before anything runs.
 */
@QuarkusTest
class CorsTest {

    static final String SPA = "https://spa.test.headless-crm.dev";
    private static final String OTHER = "https://elsewhere.example";
    /** Every request header our REST and GraphQL endpoints read. */
    private static final List<String> SENT = List.of("Authorization", "X-API-Key", "Content-Type", "Accept",
            "Idempotency-Key", "If-Match", "X-Request-Id");
    /** Every response header a client needs to read that CORS does not expose by itself. */
    private static final List<String> READ = List.of("Location", "ETag", "Retry-After", "X-Request-Id",
            "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed", "Content-Disposition");

    private static ValidatableResponse preflight(String origin, String path, String method) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", String.join(",", SENT).toLowerCase())
                .when().options(path).then();
    }

    private static List<String> names(String header) {
        return header == null ? List.of() : Arrays.stream(header.split(",")).map(String::trim).map(String::toLowerCase).toList();
    }

    private static List<String> lower(List<String> headers) {
        return headers.stream().map(String::toLowerCase).toList();
    }

    @Test
    void answersAPreflightOnRestBeforeAuthentication() {
        var response = preflight(SPA, "/api/v1/customers/" + UUID.randomUUID(), "PATCH")
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SPA))
                .header("WWW-Authenticate", nullValue())
                .header("RateLimit-Remaining", nullValue())
                .extract();
        assertThat(names(response.header("Access-Control-Allow-Methods")))
                .contains("get", "post", "put", "patch", "delete");
        assertThat(names(response.header("Access-Control-Allow-Headers"))).containsAll(lower(SENT));
        assertThat(names(response.header("Access-Control-Expose-Headers"))).containsAll(lower(READ));
    }

    @Test
    void answersAPreflightOnGraphQL() {
        // GraphQLOverHttp answers OPTIONS itself with a 204 and Allow; a preflight never gets that far
        var response = preflight(SPA, "/graphql", "POST")
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SPA))
                .extract();
        assertThat(names(response.header("Access-Control-Allow-Methods"))).contains("get", "post");
        assertThat(names(response.header("Access-Control-Allow-Headers"))).containsAll(lower(SENT));
    }

    @Test
    void letsTheAllowedOriginReadResponsesAndTheirHeaders() {
        String id = asAdmin().header("Origin", SPA).contentType(ContentType.JSON)
                .body(Map.of("name", "Cors customer")).post("/api/v1/customers")
                .then().statusCode(201)
                .header("Access-Control-Allow-Origin", equalTo(SPA))
                .extract().as(Json.class).get("id");
        var response = asAdmin().header("Origin", SPA).get("/api/v1/customers/" + id)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SPA))
                .header("Access-Control-Allow-Credentials", equalTo("false")) // keys and tokens, never cookies
                .extract();
        assertThat(response.header("ETag")).isNotNull();
        assertThat(names(response.header("Access-Control-Expose-Headers"))).containsAll(lower(READ));
        given().header("Origin", SPA).header("X-API-Key", Credentials.adminKey()).contentType(ContentType.JSON)
                .body(Map.of("query", "{ tags(first: 1) { edges { node { id } } } }")).post("/graphql")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SPA))
                .body(json("errors", nullValue()));
        // a refusal is readable too, so the page can tell the user to sign in again
        given().header("Origin", SPA).get("/api/v1/customers/" + id)
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", equalTo(SPA));
    }

    @Test
    void refusesAnotherOriginBeforeAnythingRuns() {
        // Quarkus still lists the methods; without Access-Control-Allow-Origin the browser refuses all the same
        preflight(OTHER, "/api/v1/customers", "POST")
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        // Quarkus's filter ends even a request the browser would send without a preflight: nothing is written
        String externalId = "cors-" + UUID.randomUUID();
        given().header("Origin", OTHER).header("X-API-Key", Credentials.adminKey()).contentType(ContentType.JSON)
                .body(Map.of("name", "Not created", "externalId", externalId)).post("/api/v1/customers")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        asAdmin().get("/api/v1/customers-by-external-id/" + externalId).then().statusCode(404);
    }

    @Test
    void leavesRequestsWithoutAnOriginAlone() {
        asAdmin().get("/api/v1/customers?limit=1")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
