package io.headlesscrm.contract;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.headlesscrm.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The two bad inputs every surface meets the same way: a forged cursor is a 400 {@code invalid-cursor} in every
 * list, and a malformed id is a 400 {@code invalid-id} naming it, in a path, a query parameter, a body and a
 * GraphQL argument.
 */
@QuarkusTest
class BadInputTest {

    private static final String PROBLEMS = "https://headless-crm.dev/problems/";
    private static final String ENDPOINT = "00000000-0000-7000-8000-000000000001";

    /** A cursor of the v1 layout: right version and sort, a key or id that this API never issued. */
    private static String forged(String sort, String key, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("\n", "v1", sort, key, id).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} sort={1} key={2}")
    @CsvSource({
            "/api/v1/customers?sort=createdAt, createdAt, yesterday",
            "/api/v1/customers?sort=-createdAt, -createdAt, +999999999-12-31T23:59:59Z",
            "/api/v1/customers?sort=name, name, a\u0000b",
            "/api/v1/customers?sort=-name, -name, x",
            "/api/v1/tags?x=1, key, a\u0000b",
            "/api/v1/tag-jobs?x=1, id, not-an-id",
            "/api/v1/touchpoints?x=1, id, 1-1-1-1-1",
            "/api/v1/audit-log?x=1, -occurredAt, NaN",
            "/api/v1/api-keys?x=1, -createdAt, 2026-13-45T99:99:99Z",
            "/api/v1/webhook-endpoints?x=1, id, ''",
            "/api/v1/webhook-endpoints/" + ENDPOINT + "/messages?x=1, createdAt, tomorrow",
    })
    void aForgedCursorIsA400InvalidCursorInEveryList(String list, String sort, String key) {
        // the id part is forged too where the key is fine: both must parse
        String id = key.equals("x") ? "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz" : UUID.randomUUID().toString();
        asAdmin().urlEncodingEnabled(false).get(list + "&cursor=" + forged(sort, key, id)).then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + "invalid-cursor")))
                .body(json("errors[0].field", equalTo("cursor")));
    }

    @Test
    void aForgedCursorIsAGraphQLErrorNotAFailure() {
        graphql("{ customers(after: \"" + forged("createdAt", "yesterday", UUID.randomUUID().toString())
                + "\") { totalCount } }")
                .body(json("errors[0].message", containsString("not one this API issued")));
        graphql("{ tags(after: \"" + forged("key", "a\u0000b", UUID.randomUUID().toString()) + "\") { edges { cursor } } }")
                .body(json("errors[0].message", containsString("not one this API issued")));
    }

    @Test
    void aMalformedIdInAPathIsA400InvalidIdNamingIt() {
        for (String path : List.of("/api/v1/customers/nope", "/api/v1/touchpoints/1-1-1-1-1", "/api/v1/tag-jobs/x",
                "/api/v1/webhook-endpoints/%20", "/api/v1/api-keys/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")) {
            asAdmin().urlEncodingEnabled(false).get(path).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body(json("type", equalTo(PROBLEMS + "invalid-id")))
                    .body(json("errors[0].field", equalTo("id")));
        }
    }

    @Test
    void aMalformedIdInAQueryParameterIsTheSameProblem() {
        asAdmin().get("/api/v1/touchpoints?customerId=nope").then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + "invalid-id")))
                .body(json("errors[0].field", equalTo("customerId")));
    }

    @Test
    void aMalformedIdInABodyIsTheSameProblemAtItsPath() {
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("customerId", "nope", "channel", "SMS", "content", Map.of("body", "Hi")))
                .post("/api/v1/touchpoints").then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + "invalid-id")))
                .body(json("errors[0].field", equalTo("customerId")));
    }

    @Test
    void aMalformedIdInAGraphQLArgumentIsTheSameProblem() {
        graphql("{ customer(id: \"nope\") { id } }")
                .body(json("errors[0].message", containsString("'id' must be an id this API issued")));
        graphql("{ touchpoint(id: \"1-1-1-1-1\") { id } }")
                .body(json("errors[0].message", containsString("'id' must be an id this API issued")));
        graphql("mutation { deleteCustomer(id: \"nope\") { userErrors { code field } } }")
                .body(json("data.deleteCustomer.userErrors.code", hasItem("invalid-id")));
        String customer = Fixtures.customer(null, "ids@example.com");
        graphql("mutation { changeTags(input: {operation: ASSIGN, tags: [\"vip\"], customerIds: [\"" + customer
                + "\", \"nope\"]}) { userErrors { code field } } }")
                .body(json("data.changeTags.userErrors[0].code", equalTo("invalid-id")))
                .body(json("data.changeTags.userErrors[0].field", equalTo(List.of("input", "customerIds[1]"))));
    }

    private static ValidatableResponse graphql(String query) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        return asAdmin().contentType(ContentType.JSON).body(body).post("/graphql").then().statusCode(200);
    }
}
