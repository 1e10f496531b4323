package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every kind of bad input is a 4xx problem+json naming the field, and writes nothing. */
@QuarkusTest
class CustomerBadInputTest {

    private static final String PROBLEMS = "https://headless-crm.dev/problems/";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON       | {\"name\": \"x\", \"externalId\": \"EXT\"                     | 400 | malformed-json    |",
            "wrong type           | {\"name\": [1, 2], \"externalId\": \"EXT\"                    | 400 | invalid-field     | name",
            "unknown enum         | {\"name\": \"x\", \"type\": \"ROBOT\", \"externalId\": \"EXT\" | 400 | invalid-field     | type",
            "bad timestamp        | {\"name\": \"x\", \"registeredAt\": \"yesterday\", \"externalId\": \"EXT\" | 400 | invalid-field | registeredAt",
            "attributes not object| {\"name\": \"x\", \"attributes\": [1], \"externalId\": \"EXT\" | 400 | invalid-field  | attributes",
            "unknown field        | {\"name\": \"x\", \"nmae\": \"y\", \"externalId\": \"EXT\"   | 400 | unknown-field     | nmae",
            "invalid email        | {\"name\": \"x\", \"email\": \"nope\", \"externalId\": \"EXT\" | 422 | validation-failed | email",
            "invalid phone        | {\"name\": \"x\", \"phone\": \"555-1234\", \"externalId\": \"EXT\" | 422 | validation-failed | phone",
            "blank name           | {\"name\": \"  \", \"externalId\": \"EXT\"                   | 422 | validation-failed | name",
            "missing name         | {\"externalId\": \"EXT\"                                     | 422 | validation-failed | name",
            "bad attribute name   | {\"name\": \"x\", \"attributes\": {\"no spaces\": 1}, \"externalId\": \"EXT\" | 422 | validation-failed | attributes.no spaces",
            "NUL in a name        | {\"name\": \"a\\u0000b\", \"externalId\": \"EXT\"          | 400 | invalid-text      | name",
            "unpaired surrogate   | {\"name\": \"a\\ud800\\u5c22\", \"externalId\": \"EXT\"   | 400 | invalid-text      | name",
            "surrogate in attributes | {\"name\": \"x\", \"attributes\": {\"a\": [1, \"\\udc00\"]}, \"externalId\": \"EXT\" | 400 | invalid-text | attributes.a[1]",
            "surrogate in a key   | {\"name\": \"x\", \"attributes\": {\"\\ud83d\": 1}, \"externalId\": \"EXT\" | 400 | invalid-text | attributes",
    })
    void rejectsABadCreateBodyWithoutWriting(String label, String json, int status, String type, String field) {
        String ext = marker();
        String body = json.replace("EXT", ext) + (label.startsWith("malformed") ? "" : "}");
        var response = asAdmin().contentType(ContentType.JSON).body(body).when().post(PATH).then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + type)))
                .body(json("status", equalTo(status)));
        if (field != null) {
            response.body(json("errors.field", hasItem(field)));
        }
        asAdmin().queryParam("externalId", ext).when().get(PATH).then().body(json("items", empty()));
    }

    @Test
    void rejectsOverLongStrings() {
        String ext = marker();
        asAdmin().contentType(ContentType.JSON)
                .body("{\"name\": \"" + "n".repeat(201) + "\", \"externalId\": \"" + ext + "\"}")
                .when().post(PATH).then().statusCode(422)
                .body(json("errors.field", hasItem("name")));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"x\", \"externalId\": \"" + "e".repeat(129) + "\"}")
                .when().post(PATH).then().statusCode(422)
                .body(json("errors.field", hasItem("externalId")));
        asAdmin().queryParam("externalId", ext).when().get(PATH).then().body(json("items", empty()));
    }

    @Test
    void rejectsAnEmptyBodyAndAWrongMediaType() {
        asAdmin().contentType(ContentType.JSON).when().post(PATH).then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + "malformed-json")));
        asAdmin().contentType(ContentType.TEXT).body("name=x").when().post(PATH).then().statusCode(415)
                .contentType("application/problem+json")
                .body(json("type", equalTo(PROBLEMS + "unsupported-media-type")));
    }

    @Test
    void aBadPatchChangesNothing() {
        String id = CustomerApi.create(CustomerApi.customer("Stable", "k", "v"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"New\", \"email\": \"broken\"}")
                .when().patch(PATH + "/" + id).then().statusCode(422).body(json("errors.field", hasItem("email")));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"New\", \"type\": \"ALIEN\"}")
                .when().patch(PATH + "/" + id).then().statusCode(400).body(json("errors.field", hasItem("type")));
        asAdmin().contentType(ContentType.JSON).body("{\"version\": 9}")
                .when().patch(PATH + "/" + id).then().statusCode(400)
                .body(json("type", equalTo(PROBLEMS + "unknown-field")));
        asAdmin().contentType(ContentType.JSON).body("[1]")
                .when().patch(PATH + "/" + id).then().statusCode(400)
                .body(json("type", equalTo(PROBLEMS + "invalid-field")))
                .body(json("detail", containsString("JSON object")));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"x\"}").header("If-Match", "garbage")
                .when().patch(PATH + "/" + id).then().statusCode(400)
                .body(json("errors.field", hasItem("If-Match")));
        asAdmin().when().get(PATH + "/" + id).then().body(json("name", equalTo("Stable"))).body(json("version", equalTo(0)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "limit, 101, limit",
            "limit, 0, limit",
            "limit, ten, limit",
            "cursor, garbage!!, cursor",
            "cursor, djEKbmFtZQp4CjAwMDAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA, cursor",
            "sort, height, sort",
            "type, ROBOT, type",
            "createdFrom, last-week, createdFrom",
    })
    void rejectsBadListParameters(String name, String value, String field) {
        asAdmin().queryParam(name, value).when().get(PATH).then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", not(equalTo(PROBLEMS + "internal-error"))))
                .body(json("errors.field", hasItem(field)))
                .body(json("detail", containsString(field.equals("cursor") ? "cursor" : field)));
    }

    /**
     * Every enum query parameter is read one way: case aside, an unknown value is the 400 naming it (a parameter
     * declared as an enum, {@code by}, was JAX-RS's 404 {@code not-found}).
     */
    @Test
    void anEnumQueryParameterIsReadOneWayEverywhere() {
        asAdmin().queryParam("by", "NAME").get("/api/v1/customer-duplicates").then().statusCode(400)
                .contentType("application/problem+json").body(json("type", equalTo(PROBLEMS + "invalid-parameter")))
                .body(json("errors.field", hasItem("by"))).body(json("detail", equalTo("'by' must be one of [EMAIL, PHONE]")));
        asAdmin().queryParam("type", "ALIEN").get(PATH).then().statusCode(400)
                .body(json("type", equalTo(PROBLEMS + "invalid-parameter"))).body(json("errors.field", hasItem("type")));
        // case is not what makes a value unknown, for either
        asAdmin().queryParam("by", "email").queryParam("limit", 1).get("/api/v1/customer-duplicates").then()
                .statusCode(200);
        asAdmin().queryParam("type", "individual").queryParam("limit", 1).get(PATH).then().statusCode(200);
    }
}
