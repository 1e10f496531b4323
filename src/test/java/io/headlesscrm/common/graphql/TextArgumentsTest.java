package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Text in GraphQL arguments follows REST's rule: NUL is refused with invalid-text, from
 * a literal in the document as from a variable, and nothing is written. Before, createCustomer and createDimension
 * answered "System error" and createTag stored the name cut.
 */
@QuarkusTest
class TextArgumentsTest {

    /** The document holds the GraphQL escape \u0000 (the JSON body carries it as \\u0000). */
    private static ValidatableResponse run(String document) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("query", document)).post("/graphql").then()
                .statusCode(200);
    }

    @Test
    void createCustomerWithNulInTheNameIsInvalidText() {
        String email = "nul-" + UUID.randomUUID() + "@example.com";
        run("mutation { createCustomer(input: {name: \"a\\u0000b\", email: \"" + email + "\"}) { customer { id } } }")
                .body(json("errors[0].extensions.code", equalTo("invalid-text")))
                .body(json("errors[0].message", containsString("input.name")))
                .body(json("data.createCustomer", nullValue()));
        asAdmin().queryParam("email", email).get("/api/v1/customers").then().statusCode(200).body(json("items.size()", equalTo(0)));
    }

    @Test
    void createTagWithNulInTheNameIsInvalidTextAndStoresNothing() {
        String key = "nul-" + UUID.randomUUID();
        run("mutation { createTag(input: {key: \"" + key + "\", name: \"\\u0000\"}) { tag { id name } } }")
                .body(json("errors[0].extensions.code", equalTo("invalid-text")))
                .body(json("data.createTag", nullValue()));
        asAdmin().get("/api/v1/tags/" + key).then().statusCode(404);
    }

    @Test
    void createDimensionWithNulInTheDescriptionIsInvalidText() {
        run("mutation { createDimension(input: {key: \"nul-" + UUID.randomUUID() + "\", name: \"N\", description: "
                + "\"\\u0000\", buckets: [{key: \"a\", name: \"A\"}]}) { segment { id } } }")
                .body(json("errors[0].extensions.code", equalTo("invalid-text")))
                .body(json("errors[0].message", containsString("input.description")));
    }

    @Test
    void nulInAQueryArgumentIsInvalidTextToo() {
        run("{ tag(key: \"a\\u0000\") { id } }").body(json("errors[0].extensions.code", equalTo("invalid-text")))
                .body(json("data.tag", nullValue()));
    }
}
