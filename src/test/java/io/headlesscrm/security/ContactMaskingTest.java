package io.headlesscrm.security;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Analysts read customers with email and phone masked, on REST and GraphQL alike; other readers do not. */
@QuarkusTest
class ContactMaskingTest {

    @Test
    void analystsSeeMaskedContactDetailsEverywhere() {
        String ext = "mask-" + UUID.randomUUID();
        String id = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "externalId", ext, "email", "ada.lovelace@example.com", "phone", "+14155550123"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");

        asUserWith(Roles.ANALYST).get("/api/v1/customers/" + id).then().statusCode(200)
                .body(json("email", equalTo("a***@example.com"))).body(json("phone", equalTo("+1******0123")))
                .body(json("name", equalTo("Ada")));
        asUserWith(Roles.ANALYST).get("/api/v1/customers?externalId=" + ext).then().statusCode(200)
                .body(json("items[0].email", equalTo("a***@example.com"))).body(json("items[0].phone", equalTo("+1******0123")));
        graphql(Roles.ANALYST, id).body(json("data.customer.email", equalTo("a***@example.com")))
                .body(json("data.customer.phone", equalTo("+1******0123")))
                .body(json("data.customers.edges.node.email", hasItem("a***@example.com")))
                .body(json("data.customers.edges.node.email", not(hasItem("ada.lovelace@example.com"))));

        asUserWith(Roles.SALES).get("/api/v1/customers/" + id).then().statusCode(200)
                .body(json("email", equalTo("ada.lovelace@example.com"))).body(json("phone", equalTo("+14155550123")));
        graphql(Roles.SALES, id).body(json("data.customer.email", equalTo("ada.lovelace@example.com")));
        // a person with both roles is not masked: the wider role wins
        asUserWith(Roles.ANALYST, Roles.SALES).get("/api/v1/customers/" + id).then()
                .body(json("email", equalTo("ada.lovelace@example.com")));
    }

    @Test
    void masksKeepTheShapeButNotTheContact() {
        assertThat(ContactMasking.email("x@y.org")).isEqualTo("x***@y.org");
        assertThat(ContactMasking.email("no-at-sign")).isEqualTo("***");
        assertThat(ContactMasking.phone("+12")).isEqualTo("+**");
        assertThat(ContactMasking.phone("+861012345678")).isEqualTo("+8*******5678");
        assertThat(ContactMasking.email(null)).isNull();
    }

    private static io.restassured.response.ValidatableResponse graphql(String role, String id) {
        return asUserWith(role).contentType(ContentType.JSON).body(Map.of("query",
                "query($id: ID!) { customer(id: $id) { email phone } customers(first: 100, orderBy: CREATED_AT_DESC) { edges { node { email } } } }",
                "variables", Map.of("id", id)))
                .post("/graphql").then().statusCode(200).body(json("errors", nullValue()));
    }
}
