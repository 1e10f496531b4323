package io.headlesscrm.customer;

import static io.headlesscrm.customer.CustomerApi.PATH;
import static io.headlesscrm.customer.CustomerApi.customer;
import static io.headlesscrm.customer.CustomerApi.marker;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class CustomerIdempotencyTest {

    private static ValidatableResponse postWithKey(String key, Object body) {
        return asAdmin().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(PATH).then();
    }

    @Test
    void theSameKeyAndBodyReturnTheFirstResult() {
        String key = marker();
        Map<String, Object> body = customer("Idem", "m", key);
        body.put("registeredAt", "2026-01-01T00:00:00Z");
        String id = postWithKey(key, body).statusCode(201).extract().as(Json.class).get("id");

        postWithKey(key, body).statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body(json("id", equalTo(id)));
        asAdmin().queryParam("attr.m", key).when().get(PATH).then().body(json("items", hasSize(1)));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = marker();
        postWithKey(key, customer("First", "m", key)).statusCode(201);
        postWithKey(key, customer("Different", "m", key)).statusCode(422)
                .contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/idempotency-key-reused")));
        asAdmin().queryParam("attr.m", key).when().get(PATH).then().body(json("items.name", hasSize(1)));
    }

    @Test
    void aFailedRequestDoesNotUseUpItsKey() {
        String key = marker();
        postWithKey(key, Map.of("name", "x", "email", "broken")).statusCode(422);
        postWithKey(key, customer("Fixed", "m", key)).statusCode(201)
                .body(json("name", equalTo("Fixed")))
                .header("Idempotent-Replayed", nullValue());
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneCustomer() {
        String key = marker();
        Map<String, Object> body = customer("Racer", "m", key);
        List<String> ids = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> postWithKey(key, body).statusCode(201).extract().as(Json.class).<String>get("id")))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(ids).containsOnly(ids.get(0));
        asAdmin().queryParam("attr.m", key).when().get(PATH).then().body(json("items", hasSize(1)));
    }

    @Test
    void concurrentUpsertsOfANewExternalIdCreateOneCustomer() {
        String ext = marker();
        List<Integer> statuses = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> asAdmin().contentType(ContentType.JSON)
                        .body(Map.of("name", "Upsert " + i)).when().put(PATH + "-by-external-id/" + ext)
                        .then().extract().statusCode()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        asAdmin().queryParam("externalId", ext).when().get(PATH).then().body(json("items", hasSize(1)));
    }
}
