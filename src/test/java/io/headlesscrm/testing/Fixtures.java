package io.headlesscrm.testing;

import static io.headlesscrm.testing.Credentials.asAdmin;

import java.util.HashMap;
import java.util.Map;

import io.restassured.http.ContentType;

/** Data the tests of several features need, made through the API. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A new customer with the given phone and email (either may be null); its id. */
    public static String customer(String phone, String email) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Fixture customer"));
        if (phone != null) {
            body.put("phone", phone);
        }
        if (email != null) {
            body.put("email", email);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }
}
