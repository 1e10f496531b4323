package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.create;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.customer.CustomerApi.post;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class CustomerResourceTest {

    @Test
    void createsAndReadsACustomerWithEveryField() {
        String ext = marker();
        Map<String, Object> body = customer("Ada Lovelace", "tier", "gold", "score", 7);
        body.putAll(Map.of("externalId", ext, "type", "ENTERPRISE", "email", "ada@example.com",
                "phone", "+14155550123", "registeredAt", "2026-01-15T09:30:00Z"));
        var created = post(body).statusCode(201)
                .header("ETag", "\"0\"")
                .body(json("externalId", equalTo(ext)))
                .body(json("type", equalTo("ENTERPRISE")))
                .body(json("attributes.tier", equalTo("gold")))
                .body(json("attributes.score", equalTo(7)))
                .body(json("version", equalTo(0)))
                .body(json("createdAt", notNullValue()))
                .extract();
        String id = created.as(Json.class).get("id");
        org.assertj.core.api.Assertions.assertThat(created.header("Location")).endsWith(PATH + "/" + id);

        asAdmin().when().get(PATH + "/" + id).then().statusCode(200)
                .header("ETag", "\"0\"")
                .body(json("id", equalTo(id)))
                .body(json("name", equalTo("Ada Lovelace")))
                .body(json("email", equalTo("ada@example.com")))
                .body(json("phone", equalTo("+14155550123")))
                .body(json("registeredAt", equalTo("2026-01-15T09:30:00Z")))
                .body(json("lastActiveAt", nullValue()));
    }

    @Test
    void readsBackNestedAttributesExactlyAsWritten() {
        Map<String, Object> attributes = Map.of("address", Map.of("city", "Shanghai", "zip", "200000"),
                "tags", List.of("vip", 3, true), "score", 4.5, "optIn", false);
        String id = create(Map.of("name", "Nested", "attributes", attributes));
        asAdmin().when().get(PATH + "/" + id).then().statusCode(200)
                .body(json("attributes.address.city", equalTo("Shanghai")))
                .body(json("attributes.tags", equalTo(List.of("vip", 3, true))))
                .body(json("attributes.score", equalTo(4.5f)))
                .body(json("attributes.optIn", equalTo(false)));
    }

    @Test
    void defaultsTypeToIndividual() {
        post(customer("No Type")).statusCode(201).body(json("type", equalTo("INDIVIDUAL")));
    }

    @Test
    void returns404ForAnUnknownCustomerAnd400ForAMalformedId() {
        asAdmin().when().get(PATH + "/00000000-0000-7000-8000-000000000000").then().statusCode(404)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/not-found")))
                .body(json("status", equalTo(404)));
        asAdmin().when().get(PATH + "/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/invalid-id")));
    }

    @Test
    void patchMergesFieldsClearsNullsAndBumpsTheVersion() {
        String id = create(customer("Grace", "tier", "gold", "city", "NYC"));
        asAdmin().contentType("application/merge-patch+json")
                .body("{\"name\": \"Grace Hopper\", \"email\": \"grace@example.com\", \"attributes\": {\"tier\": null, \"rank\": \"admiral\"}}")
                .header("If-Match", "\"0\"")
                .when().patch(PATH + "/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body(json("name", equalTo("Grace Hopper")))
                .body(json("email", equalTo("grace@example.com")))
                .body(json("attributes", not(hasKey("tier"))))
                .body(json("attributes.city", equalTo("NYC")))
                .body(json("attributes.rank", equalTo("admiral")))
                .body(json("version", equalTo(1)));

        asAdmin().contentType(ContentType.JSON).body("{\"email\": null}")
                .when().patch(PATH + "/" + id).then().statusCode(200)
                .body(json("email", nullValue())).body(json("name", equalTo("Grace Hopper"))).body(json("version", equalTo(2)));
    }

    @Test
    void patchWithAStaleETagIs412AndChangesNothing() {
        String id = create(customer("Linus"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"Linus T\"}").header("If-Match", "\"0\"")
                .when().patch(PATH + "/" + id).then().statusCode(200);

        asAdmin().contentType(ContentType.JSON).body("{\"name\": \"Stale write\"}").header("If-Match", "\"0\"")
                .when().patch(PATH + "/" + id).then().statusCode(412)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/version-mismatch")));

        asAdmin().when().get(PATH + "/" + id).then().body(json("name", equalTo("Linus T"))).body(json("version", equalTo(1)));
    }

    @Test
    void patchCannotTakeAnotherCustomersExternalId() {
        String taken = marker();
        create(Map.of("name", "Owner", "externalId", taken));
        String id = create(customer("Other"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("externalId", taken))
                .when().patch(PATH + "/" + id).then().statusCode(409)
                .body(json("type", equalTo("https://headless-crm.dev/problems/duplicate-external-id")))
                .body(json("errors[0].field", equalTo("externalId")));
        asAdmin().when().get(PATH + "/" + id).then().body(json("externalId", nullValue()));
    }

    @Test
    void deleteRemovesTheCustomerAndHonoursIfMatch() {
        String id = create(customer("Temp"));
        asAdmin().header("If-Match", "\"5\"").when().delete(PATH + "/" + id).then().statusCode(412);
        asAdmin().header("If-Match", "\"0\"").when().delete(PATH + "/" + id).then().statusCode(204);
        asAdmin().when().get(PATH + "/" + id).then().statusCode(404);
        asAdmin().when().delete(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void upsertByExternalIdCreatesThenReplaces() {
        String ext = marker();
        String id = asAdmin().contentType(ContentType.JSON).body(customer("First", "a", 1))
                .when().put(PATH + "-by-external-id/" + ext).then().statusCode(201)
                .body(json("externalId", equalTo(ext))).body(json("version", equalTo(0)))
                .extract().as(Json.class).get("id");

        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Second", "type", "ENTERPRISE"))
                .when().put(PATH + "-by-external-id/" + ext).then().statusCode(200)
                .body(json("id", equalTo(id)))
                .body(json("name", equalTo("Second")))
                .body(json("type", equalTo("ENTERPRISE")))
                .body(json("attributes", equalTo(Map.of())))
                .body(json("version", equalTo(1)));

        asAdmin().when().get(PATH + "-by-external-id/" + ext).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body(json("id", equalTo(id)))
                .body(json("name", equalTo("Second")));
    }

    @Test
    void returns404ForUnknownExternalId() {
        String ext = marker();
        asAdmin().when().get(PATH + "-by-external-id/" + ext).then().statusCode(404)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/not-found")))
                .body(json("detail", org.hamcrest.Matchers.containsString(ext)));
    }

    @Test
    void upsertRejectsABodyWhoseExternalIdDiffersFromThePath() {
        String ext = marker();
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "X", "externalId", "other"))
                .when().put(PATH + "-by-external-id/" + ext).then().statusCode(422)
                .body(json("errors[0].field", equalTo("externalId")));
        asAdmin().queryParam("externalId", ext).when().get(PATH).then().body(json("items", org.hamcrest.Matchers.empty()));
    }

    @Test
    void createRejectsADuplicateExternalId() {
        String ext = marker();
        create(Map.of("name", "One", "externalId", ext));
        post(Map.of("name", "Two", "externalId", ext)).statusCode(409)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/duplicate-external-id")))
                .body(json("errors[0].field", equalTo("externalId")));
        asAdmin().queryParam("externalId", ext).when().get(PATH).then().body(json("items.name", contains("One")));
    }

    @Test
    void filtersByTypeTextCreatedRangeAndAttributes() {
        String m = marker();
        Instant before = Instant.now();
        create(Map.of("name", "Alpha " + m, "type", "ENTERPRISE", "attributes", Map.of("m", m, "tier", "gold")));
        create(Map.of("name", "Beta " + m, "email", m + "@example.com", "attributes", Map.of("m", m, "tier", "silver")));
        create(Map.of("name", "Gamma", "phone", "+861390000" + (int) (Math.random() * 9000 + 1000),
                "attributes", Map.of("m", m, "score", 5)));

        asAdmin().queryParam("attr.m", m).queryParam("type", "enterprise").when().get(PATH).then().statusCode(200)
                .body(json("items.name", contains("Alpha " + m)));
        asAdmin().queryParam("attr.m", m).queryParam("attr.tier", "silver").when().get(PATH).then()
                .body(json("items.name", contains("Beta " + m)));
        asAdmin().queryParam("attr.m", m).queryParam("attr.score", "5").when().get(PATH).then()
                .body(json("items.name", contains("Gamma")));
        asAdmin().queryParam("q", m.toUpperCase()).when().get(PATH).then()
                .body(json("items.name", contains("Alpha " + m, "Beta " + m)));
        asAdmin().queryParam("attr.m", m).queryParam("createdFrom", before.toString())
                .queryParam("createdTo", Instant.now().plusSeconds(60).toString()).when().get(PATH).then()
                .body(json("items.size()", equalTo(3)));
        asAdmin().queryParam("attr.m", m).queryParam("createdTo", before.toString()).when().get(PATH).then()
                .body(json("items.size()", equalTo(0)));
    }

    @Test
    void sortsByNameAndByNewestFirst() {
        String m = marker();
        for (String name : new String[] { "Mike", "Alice", "Zoe" }) {
            create(customer(name, "m", m));
        }
        asAdmin().queryParam("attr.m", m).queryParam("sort", "name").when().get(PATH).then()
                .body(json("items.name", contains("Alice", "Mike", "Zoe")));
        asAdmin().queryParam("attr.m", m).queryParam("sort", "-name").when().get(PATH).then()
                .body(json("items.name", contains("Zoe", "Mike", "Alice")));
        asAdmin().queryParam("attr.m", m).queryParam("sort", "-createdAt").when().get(PATH).then()
                .body(json("items.name", contains("Zoe", "Alice", "Mike")));
        asAdmin().queryParam("attr.m", m).when().get(PATH).then()
                .body(json("items.name", contains("Mike", "Alice", "Zoe")));
    }
}
