package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Tag lookups through Redis: a second read is a hit, and every change is seen by the next read. */
@QuarkusTest
class TagCacheTest {

    @Inject
    MeterRegistry metrics;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    Pool pool;

    @Test
    void aSecondReadIsServedFromRedis() {
        String customer = customer();
        String tag = tag("Cached");
        asAdmin().put(path(customer) + "/" + tag).then().statusCode(201);
        double misses = count("miss");
        double hits = count("hit");
        asAdmin().get(path(customer)).then().statusCode(200).body(json("key", equalTo(List.of(tag))));
        asAdmin().get(path(customer)).then().statusCode(200).body(json("key", equalTo(List.of(tag))));
        assertThat(count("miss")).isEqualTo(misses + 1);
        assertThat(count("hit")).isEqualTo(hits + 1);
    }

    @Test
    void everyChangeIsSeenByTheNextRead() {
        String customer = customer();
        String a = tag("A");
        String b = tag("B");
        asAdmin().get(path(customer)).then().body(json("$", hasSize(0))); // cached: no tags
        asAdmin().put(path(customer) + "/" + a).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        asAdmin().put(path(customer) + "/" + b).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a, b).stream().sorted().toList())));
        asAdmin().delete(path(customer) + "/" + a).then().statusCode(204);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(b))));
        // a renamed tag shows its new name in every cached set
        asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "Renamed")).patch("/api/v1/tags/" + b)
                .then().statusCode(200);
        asAdmin().get(path(customer)).then().body(json("name", equalTo(List.of("Renamed"))));
        // a new description is not shown in tag sets: the cache keeps its epoch (and its entries)
        String epoch = epoch(customer);
        asAdmin().contentType("application/merge-patch+json").body(Map.of("description", "only words"))
                .patch("/api/v1/tags/" + b).then().statusCode(200);
        assertThat(epoch(customer)).isEqualTo(epoch);
        asAdmin().get(path(customer)).then().body(json("name", equalTo(List.of("Renamed"))));
        // a tag deleted with force leaves every cached set
        asAdmin().delete("/api/v1/tags/" + b + "?force=true").then().statusCode(204);
        asAdmin().get(path(customer)).then().body(json("$", hasSize(0)));
        // a deleted customer has no tags to show, cached or not
        asAdmin().put(path(customer) + "/" + a).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        asAdmin().delete("/api/v1/customers/" + customer).then().statusCode(204);
        asAdmin().get(path(customer)).then().statusCode(404);
    }

    @Test
    void anEntryThatCannotBeReadIsReadAgainFromPostgres() {
        String customer = customer();
        String tag = tag("Sturdy");
        asAdmin().put(path(customer) + "/" + tag).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(tag)))); // cached now
        String epoch = epoch(customer);
        // as if another release had written it in a shape this one does not know
        redis.execute("SET", "crm:tags:" + epoch + ":" + customer, "[{\"unknown\": 1}]").await().indefinitely();
        asAdmin().get(path(customer)).then().statusCode(200).body(json("key", equalTo(List.of(tag))));
        asAdmin().get(path(customer)).then().statusCode(200).body(json("key", equalTo(List.of(tag))));
    }

    @Test
    void aFillThatRacedWithAnInvalidationIsRefused() {
        String customer = UUID.randomUUID().toString();
        var read = redis.execute("EVAL", script("tag-cache-read"), "0", customer).await().indefinitely();
        String epoch = read.get(0).toString();
        String version = read.get(1).toString();
        // a change commits and invalidates between the miss and the fill
        redis.execute("EVAL", script("tag-cache-invalidate"), "0", customer).await().indefinitely();
        var filled = redis.execute("EVAL", script("tag-cache-fill"), "0", customer, epoch, version, "[]", "60000")
                .await().indefinitely();
        assertThat(filled.toInteger()).isZero();
        assertThat(redis.execute("EVAL", script("tag-cache-read"), "0", customer).await().indefinitely().get(2)).isNull();
    }

    @Test
    void aChangeAnotherInstanceMadeIsSeenByTheNextReadHere() {
        String customer = customer();
        String a = tag("Mine");
        String b = tag("Theirs");
        asAdmin().put(path(customer) + "/" + a).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a)))); // kept in memory here now
        // another instance commits a change and invalidates through Redis: nothing reaches this one directly
        assign(customer, b);
        redis.execute("EVAL", script("tag-cache-invalidate"), "0", customer).await().indefinitely();
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a, b).stream().sorted().toList())));
    }

    @Test
    void copiesKeptInMemoryDoNotOutliveARedisThatRestartedEmpty() {
        String customer = customer();
        String a = tag("Before");
        String b = tag("During");
        asAdmin().put(path(customer) + "/" + a).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        // a change whose invalidation was lost, then Redis comes back empty: versions start again from 0
        assign(customer, b);
        redis.execute("FLUSHALL").await().indefinitely();
        redis.execute("EVAL", script("tag-cache-invalidate"), "0", customer).await().indefinitely();
        List<String> both = List.of(a, b).stream().sorted().toList();
        asAdmin().get(path(customer)).then().body(json("key", equalTo(both)));
        asAdmin().get(path(customer)).then().body(json("key", equalTo(both)));
    }

    @Test
    void aChangeWhoseInvalidationWasLostInAnOutageIsNotServedOnceRedisIsBack() {
        String customer = customer();
        String a = tag("Cached");
        String b = tag("Lost");
        asAdmin().put(path(customer) + "/" + a).then().statusCode(201);
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a))));
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a)))); // in Redis and in memory
        // another instance changed the tags while Redis was away, and its invalidation never arrived; Redis went
        // away (its clients' connections closed) and came back with the entry and the version as they were
        assign(customer, b);
        String before = epoch(customer);
        redis.execute("CLIENT", "KILL", "TYPE", "normal").await().indefinitely();
        // the instance noticed: it moved the epoch on once Redis answered again (our own connection was killed too)
        Waits.eventually().ignoreExceptions().until(() -> !epoch(customer).equals(before));
        asAdmin().get(path(customer)).then().body(json("key", equalTo(List.of(a, b).stream().sorted().toList())));
    }

    /** A change straight in PostgreSQL, as another instance makes it. */
    private void assign(String customer, String tag) {
        pool.preparedQuery("INSERT INTO customer_tag (customer_id, tag_id, source, assigned_by, assigned_at)"
                + " SELECT $1, id, 'MANUAL', 'test', now() FROM tag WHERE key = $2")
                .execute(Tuple.of(UUID.fromString(customer), tag)).await().indefinitely();
    }

    private String epoch(String customer) {
        return redis.execute("EVAL", script("tag-cache-read"), "0", customer).await().indefinitely().get(0).toString();
    }

    private double count(String result) {
        return metrics.counter("crm.tags.cache", "result", result).count();
    }

    private static String script(String name) {
        try (var in = TagCacheTest.class.getResourceAsStream("/redis/" + name + ".lua")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String path(String customer) {
        return "/api/v1/customers/" + customer + "/tags";
    }

    private static String customer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Cache")).post("/api/v1/customers").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    private static String tag(String name) {
        String key = "c-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", name)).post("/api/v1/tags").then()
                .statusCode(201);
        return key;
    }
}
