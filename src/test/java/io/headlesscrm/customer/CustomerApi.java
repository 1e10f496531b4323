package io.headlesscrm.customer;

import static io.headlesscrm.testing.Credentials.asAdmin;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.headlesscrm.testing.Json;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Test helpers that talk to the running service over HTTP, nothing else. */
final class CustomerApi {

    static final String PATH = "/api/v1/customers";

    private CustomerApi() {
    }

    /** A unique marker so a test only ever sees the customers it made. */
    static String marker() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static Map<String, Object> customer(String name, Object... attributes) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        Map<String, Object> attrs = new HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put((String) attributes[i], attributes[i + 1]);
        }
        body.put("attributes", attrs);
        return body;
    }

    static ValidatableResponse post(Object body) {
        return asAdmin().contentType(ContentType.JSON).body(body).when().post(PATH).then();
    }

    static String create(Map<String, Object> body) {
        return post(body).statusCode(201).extract().as(Json.class).get("id");
    }

    static ValidatableResponse graphql(String query, Map<String, Object> variables) {
        Map<String, Object> request = new HashMap<>();
        request.put("query", query);
        request.put("variables", variables);
        return asAdmin().contentType(ContentType.JSON).body(request).when().post("/graphql").then().statusCode(200);
    }
}
