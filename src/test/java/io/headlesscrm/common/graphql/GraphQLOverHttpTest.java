package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * GraphQL over HTTP as the specification asks: the media type the client accepts, 400 for what cannot run when
 * the client speaks application/graphql-response+json (200 with application/json), 4xx with a GraphQL errors
 * body for requests that are not well-formed, queries over GET and mutations never over GET.
 */
@QuarkusTest
class GraphQLOverHttpTest {

    private static final String RESPONSE_JSON = "application/graphql-response+json";
    private static final String TYPENAME = "{\"query\": \"{ __typename }\"}";

    /** A request whose body is sent exactly as given, with exactly this content type (no charset added). */
    private static RequestSpecification raw(String contentType) {
        return asAdmin().config(RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType(contentType);
    }

    private static ValidatableResponse post(String accept, String body) {
        RequestSpecification request = raw("application/json");
        if (accept != null) {
            request.accept(accept);
        }
        return request.body(body).post("/graphql").then();
    }

    @Test
    void jsonNestedTooDeeplyIsA400WithAnErrorsBodyNotA500() {
        // past what the JSON parser reads (1000 levels), and within it but past what converting a JSON argument
        // can recurse through
        for (int depth : new int[] { 1500, 990, 300 }) {
            String nested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            String body = "{\"query\": \"mutation($in: CustomerInput!) { createCustomer(input: $in) { customer { id } } }\","
                    + " \"variables\": {\"in\": {\"name\": \"Deep\", \"attributes\": " + nested + "}}}";
            post(RESPONSE_JSON, body).statusCode(400).contentType(startsWith(RESPONSE_JSON))
                    .body(json("errors[0].extensions.code", equalTo("too-deeply-nested"))).body(json("$", not(hasKey("data"))));
            post("application/json", body).statusCode(400).contentType(startsWith("application/json"))
                    .body(json("errors[0].extensions.code", equalTo("too-deeply-nested")));
        }
        // within the limit (GraphQLRequests.MAX_NESTING): converted and stored, however warm the JIT is
        String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        post(RESPONSE_JSON, "{\"query\": \"mutation($in: CustomerInput!) { createCustomer(input: $in) { customer { id } } }\","
                + " \"variables\": {\"in\": {\"name\": \"Deep\", \"attributes\": " + nested + "}}}").statusCode(200)
                .body(json("data.createCustomer.customer.id", notNullValue()));
    }

    @Test
    void answersInTheMediaTypeTheClientAsksFor() {
        post(RESPONSE_JSON, TYPENAME).statusCode(200).contentType(startsWith(RESPONSE_JSON))
                .body(json("data.__typename", equalTo("Query")));
        post("application/json", TYPENAME).statusCode(200).contentType(startsWith("application/json"))
                .body(json("data.__typename", equalTo("Query")));
        post(RESPONSE_JSON + ";q=0.5, application/json", TYPENAME).statusCode(200).contentType(startsWith("application/json"));
        post("application/json;q=0.5, " + RESPONSE_JSON, TYPENAME).statusCode(200).contentType(startsWith(RESPONSE_JSON));
    }

    @Test
    void anyOrNoAcceptIsAnsweredAsApplicationJsonInUtf8() {
        post("*/*", TYPENAME).statusCode(200).contentType("application/json; charset=utf-8");
        post(null, TYPENAME).statusCode(200).contentType("application/json; charset=utf-8");
    }

    @Test
    void anAcceptThatAllowsNeitherIs406WithAnErrorsBody() {
        post("text/html", TYPENAME).statusCode(406).contentType(startsWith("application/json"))
                .body(json("errors[0].extensions.code", equalTo("not-acceptable"))).body(json("$", not(hasKey("data"))));
    }

    @Test
    void aDocumentThatDoesNotParseIs400WithGraphQLResponseJsonAnd200WithJson() {
        String body = "{\"query\": \"{\"}";
        post(RESPONSE_JSON, body).statusCode(400).contentType(startsWith(RESPONSE_JSON))
                .body(json("errors[0].message", notNullValue())).body(json("$", not(hasKey("data"))));
        post("application/json", body).statusCode(200).body(json("errors[0].message", notNullValue()));
    }

    @Test
    void aDocumentThatDoesNotValidateIs400WithGraphQLResponseJsonAnd200WithJson() {
        String body = "{\"query\": \"{ noSuchField }\"}";
        post(RESPONSE_JSON, body).statusCode(400).body(json("errors[0].message", containsString("noSuchField")))
                .body(json("$", not(hasKey("data"))));
        post("application/json", body).statusCode(200).body(json("errors[0].message", containsString("noSuchField")));
    }

    @Test
    void variablesThatDoNotCoerceAre400WithGraphQLResponseJsonAnd200WithJson() {
        String body = "{\"query\": \"query($id: ID!) { customer(id: $id) { id } }\", \"variables\": {\"id\": null}}";
        post(RESPONSE_JSON, body).statusCode(400).body(json("errors[0].message", notNullValue())).body(json("$", not(hasKey("data"))));
        post("application/json", body).statusCode(200).body(json("errors[0].message", notNullValue()));
    }

    @Test
    void anErrorWhileExecutingKeepsStatus200BecauseThereIsData() {
        post(RESPONSE_JSON, "{\"query\": \"{ customer(id: \\\"nope\\\") { id } }\"}").statusCode(200)
                .body(json("data.customer", nullValue())).body(json("errors[0].message", notNullValue()));
    }

    @Test
    void requestsThatAreNotWellFormedAre400WithAnErrorsBodyInEitherMediaType() {
        for (String accept : new String[] { RESPONSE_JSON, "application/json" }) {
            post(accept, "{ \"not JSON").statusCode(400).contentType(startsWith(accept))
                    .body(json("errors[0].extensions.code", equalTo("malformed-json"))).body(json("$", not(hasKey("data"))));
            post(accept, "{\"qeury\": \"{ __typename }\"}").statusCode(400)
                    .body(json("errors[0].message", containsString("'query' is missing")));
            post(accept, "{\"query\": 1}").statusCode(400).body(json("errors[0].message", containsString("must be a string")));
            post(accept, "[{\"query\": \"{ __typename }\"}]").statusCode(400)
                    .body(json("errors[0].extensions.code", equalTo("malformed-request")));
            post(accept, "").statusCode(400).body(json("errors[0].message", containsString("empty")));
            // SmallRye alone answered these three with a 500
            post(accept, "{\"query\": \"{ __typename }\", \"variables\": \"{}\"}").statusCode(400)
                    .body(json("errors[0].message", containsString("'variables' must be an object")));
            post(accept, "{\"query\": \"{ __typename }\", \"operationName\": 1}").statusCode(400)
                    .body(json("errors[0].message", containsString("'operationName' must be a string")));
            post(accept, "{\"query\": \"{ __typename }\", \"extensions\": []}").statusCode(400)
                    .body(json("errors[0].message", containsString("'extensions' must be an object")));
        }
    }

    @Test
    void textNoColumnCanHoldIsA400BeforeAnythingRuns() {
        // an unpaired surrogate (which the database driver would garble) and NUL, in a value and in a field name
        for (String bad : new String[] { "\\ud800\\u5c22", "a\\u0000", "\\udc00" }) {
            String name = "Text " + UUID.randomUUID();
            post(RESPONSE_JSON, "{\"query\": \"mutation($in: CustomerInput!) { createCustomer(input: $in) { customer { id } } }\","
                    + " \"variables\": {\"in\": {\"name\": \"" + name + "\", \"attributes\": {\"k" + bad + "\": 1}}}}")
                    .statusCode(400).body(json("errors[0].extensions.code", equalTo("invalid-text"))).body(json("$", not(hasKey("data"))));
            post("application/json", "{\"query\": \"mutation($in: CustomerInput!) { createCustomer(input: $in) { customer { id } } }\","
                    + " \"variables\": {\"in\": {\"name\": \"" + name + bad + "\"}}}")
                    .statusCode(400).body(json("errors[0].extensions.code", equalTo("invalid-text")));
            asAdmin().queryParam("q", name).get("/api/v1/customers").then().body(json("items", empty()));
        }
    }

    @Test
    void nullOptionalParametersAreAsGoodAsAbsent() {
        post(RESPONSE_JSON, "{\"query\": \"{ __typename }\", \"variables\": null, \"operationName\": null, \"extensions\": null}")
                .statusCode(200).body(json("data.__typename", equalTo("Query"))).body(json("errors", nullValue()));
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        raw("application/graphql").accept(RESPONSE_JSON).body("{ __typename }".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/graphql").then().statusCode(415)
                .contentType(startsWith(RESPONSE_JSON)).body(json("errors[0].extensions.code", equalTo("unsupported-media-type")));
        asAdmin().body(TYPENAME.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/graphql").then().statusCode(415);
        raw("application/json; charset=iso-8859-1").body(TYPENAME).post("/graphql").then().statusCode(415);
        raw("application/json; charset=UTF-8").body(TYPENAME).post("/graphql").then().statusCode(200);
    }

    @Test
    void getRunsQueriesWithUrlEncodedVariables() {
        asAdmin().accept(RESPONSE_JSON).queryParam("query", "query Q($n: String!) { __type(name: $n) { name } }")
                .queryParam("variables", "{\"n\": \"Customer\"}").queryParam("operationName", "Q")
                .get("/graphql").then().statusCode(200).contentType(startsWith(RESPONSE_JSON))
                .body(json("data.__type.name", equalTo("Customer")));
        asAdmin().queryParam("query", "{ __typename }").queryParam("variables", "[1]").get("/graphql").then()
                .statusCode(400).body(json("errors[0].extensions.code", equalTo("invalid-parameter")));
        asAdmin().get("/graphql").then().statusCode(400).body(json("errors[0].message", containsString("'query' is missing")));
    }

    @Test
    void aMutationOverGetIs405AllowPostAndChangesNothing() {
        String name = "Over GET " + UUID.randomUUID();
        asAdmin().accept(RESPONSE_JSON)
                .queryParam("query", "mutation { createCustomer(input: {name: \"" + name + "\"}) { customer { id } } }")
                .get("/graphql").then().statusCode(405).header("Allow", "POST").contentType(startsWith(RESPONSE_JSON))
                .body(json("errors[0].extensions.code", equalTo("method-not-allowed"))).body(json("$", not(hasKey("data"))));
        // the operation GET would run is the one operationName picks
        asAdmin().queryParam("query", "query Q { __typename } mutation M { deleteTag(key: \"x\") { key } }")
                .queryParam("operationName", "M").get("/graphql").then().statusCode(405);
        asAdmin().queryParam("query", "query Q { __typename } mutation M { deleteTag(key: \"x\") { key } }")
                .queryParam("operationName", "Q").get("/graphql").then().statusCode(200)
                .body(json("data.__typename", equalTo("Query")));
        asAdmin().contentType("application/json").body(Map.of("query",
                "query($f: CustomerFilter) { customers(filter: $f) { totalCount } }", "variables",
                Map.of("f", Map.of("q", name)))).post("/graphql").then().statusCode(200)
                .body(json("data.customers.totalCount", equalTo(0)));
    }

    @Test
    void otherMethodsAre405AllowGetAndPost() {
        asAdmin().contentType("application/json").body(TYPENAME).put("/graphql").then().statusCode(405)
                .header("Allow", "GET, POST").body(json("errors[0].extensions.code", equalTo("method-not-allowed")));
        asAdmin().options("/graphql").then().statusCode(204).header("Allow", "GET, POST");
    }

    @Test
    void theSchemaDocumentBesideTheEndpointIsStillServed() {
        given().get("/graphql/schema.graphql").then().statusCode(200).body(containsString("interface Node"));
    }

    @Test
    void anonymousRequestsAreStill401ProblemJson() {
        given().contentType("application/json").body(TYPENAME).post("/graphql").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
