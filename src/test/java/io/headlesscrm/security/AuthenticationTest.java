package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.claims;
import static io.headlesscrm.testing.Credentials.sign;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.headlesscrm.testing.Credentials;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Who gets in: every bad credential is a 401 problem with a challenge, never a 500, and writes nothing. */
@QuarkusTest
class AuthenticationTest {

    private static final String CUSTOMERS = "/api/v1/customers";

    @Test
    void aValidTokenWithARoleGetsIn() {
        String ext = "auth-" + UUID.randomUUID();
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Seen by an analyst", "externalId", ext))
                .post(CUSTOMERS).then().statusCode(201).extract().as(Json.class).get("id");
        given().auth().oauth2(Credentials.token(Roles.ANALYST)).get(CUSTOMERS + "?externalId=" + ext).then()
                .statusCode(200).body(json("items.id", equalTo(List.of(id)))).body(json("items.name", equalTo(List.of("Seen by an analyst"))));
    }

    @Test
    void withoutCredentialsRestAndGraphQLAreRefused() {
        unauthorized(given().get(CUSTOMERS).then())
                .body(json("detail", containsString("Authentication is required")));
        unauthorized(given().contentType(ContentType.JSON).body(Map.of("query", "{ customers { totalCount } }"))
                .post("/graphql").then());
    }

    @Test
    void healthMetricsAndApiDocumentsStayOpen() {
        given().get("/q/health/ready").then().statusCode(200).body(json("status", equalTo("UP")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("crm_tags_cache_total{"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("operationId: listCustomers"));
        given().get("/graphql/schema.graphql").then().statusCode(200).body(containsString("type Query {"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
        given().get("/q/graphql-ui/").then().statusCode(200).body(containsStringIgnoringCase("graphiql"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = sign(claims("late", Roles.ADMIN).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)));
        unauthorized(given().auth().oauth2(token).get(CUSTOMERS).then());
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String token = sign(claims("elsewhere", Roles.ADMIN).issuer("https://evil.example.com/realms/crm"));
        unauthorized(given().auth().oauth2(token).get(CUSTOMERS).then());
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = sign(claims("other-app", Roles.ADMIN).audience("another-api"));
        unauthorized(given().auth().oauth2(token).get(CUSTOMERS).then());
    }

    @Test
    void aTokenSignedByAnUnknownKeyIsRefused() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = claims("forger", Roles.ADMIN).jws().keyId("test-key").sign(generator.generateKeyPair().getPrivate());
        unauthorized(given().auth().oauth2(token).get(CUSTOMERS).then());
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url("{\"iss\":\"" + Credentials.ISSUER + "\",\"aud\":\"" + Credentials.AUDIENCE
                + "\",\"sub\":\"nobody\",\"exp\":" + (Instant.now().getEpochSecond() + 300)
                + ",\"realm_access\":{\"roles\":[\"" + Roles.ADMIN + "\"]}}");
        for (String token : List.of(header + "." + payload + ".", header + "." + payload)) {
            unauthorized(given().auth().oauth2(token).get(CUSTOMERS).then());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer", "Bearer ", "Bearer not-a-token", "Bearer a.b.c", "Basic YWRtaW46YWRtaW4=",
            "Token hcrm_abc", "hcrm_TestAdminKey0000000000000000000000000000", "Bearer hcrm_", "Bearer hcrm_!!!" })
    void malformedAuthorizationHeadersAreRefused(String authorization) {
        String ext = "malformed-" + UUID.randomUUID();
        unauthorized(given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "externalId", ext)).post(CUSTOMERS).then());
        asAdmin().get(CUSTOMERS + "?externalId=" + ext).then().statusCode(200).body(json("items", equalTo(List.of())));
    }

    @Test
    void unknownAndOverLongApiKeysAreRefused() {
        unauthorized(given().header("X-API-Key", "hcrm_" + "A".repeat(40)).get(CUSTOMERS).then())
                .body(json("detail", equalTo("The API key is not known")));
        unauthorized(given().header("X-API-Key", "hcrm_" + "A".repeat(4000)).get(CUSTOMERS).then())
                .body(json("detail", containsString("malformed")));
        unauthorized(given().header("X-API-Key", "").get(CUSTOMERS).then());
        unauthorized(given().auth().oauth2("hcrm_" + "B".repeat(40)).get(CUSTOMERS).then());
    }

    @Test
    void aTokenWithOnlyUnknownRolesIsForbidden() {
        given().auth().oauth2(Credentials.token("crm-superuser", "offline_access")).get(CUSTOMERS).then()
                .statusCode(403).contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/forbidden")));
    }

    @Test
    void meTellsWhoTheCallerIsAndWhatItMayDo() {
        given().auth().oauth2(sign(claims("sam", Roles.SALES, "offline_access"))).get("/api/v1/me").then()
                .statusCode(200).body(json("actor.type", equalTo("user"))).body(json("actor.name", equalTo("sam")))
                .body(json("roles", equalTo(List.of("crm-sales", "offline_access"))))
                .body(json("permissions", equalTo(List.of("campaigns:read", "customers:read", "customers:read-contact",
                        "customers:tag", "customers:update", "events:read", "leads:read", "leads:work", "properties:read",
                        "segments:read", "tags:read", "touchpoints:create", "touchpoints:read"))));
        asAdmin().get("/api/v1/me").then().statusCode(200).body(json("actor.type", equalTo("api-key")))
                .body(json("actor.name", equalTo("bootstrap (CRM_BOOTSTRAP_API_KEY)")));
    }

    @Test
    void everyResponseCarriesARequestId() {
        asAdmin().header("X-Request-Id", "partner-trace-42").get(CUSTOMERS).then()
                .header("X-Request-Id", "partner-trace-42");
        given().header("X-Request-Id", "partner-trace-43").get(CUSTOMERS).then().statusCode(401)
                .header("X-Request-Id", "partner-trace-43");
        // an id that could smuggle anything into logs is replaced by a fresh one
        asAdmin().header("X-Request-Id", "bad id\twith tabs").get(CUSTOMERS).then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    private static ValidatableResponse unauthorized(ValidatableResponse response) {
        return response.statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body(json("type", equalTo("https://headless-crm.dev/problems/unauthorized")))
                .body(json("status", equalTo(401)));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
