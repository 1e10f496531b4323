package io.headlesscrm.dataio;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Exports: chosen columns, tags and buckets as CSV and NDJSON, masking, bad input, expiry, resuming. */
@QuarkusTest
class ExportTest {

    private static final String EXPORTS = "/api/v1/exports";

    @Inject
    Pool pool;

    @Test
    void csvOfAFilterHasTheChosenColumnsTagsAndBuckets() {
        String tag = tag();
        List<String> ids = new ArrayList<>();
        for (String name : List.of("Ada", "Lovelace, \"Countess\"", "Grace")) {
            String id = customer(name, name.substring(0, 3).toLowerCase() + "-" + tag + "@example.com", "Beijing");
            asAdmin().put("/api/v1/customers/" + id + "/tags/" + tag).then().statusCode(201);
            ids.add(id);
        }
        customer("Not tagged", null, "Shanghai");
        ids.forEach(ExportTest::awaitLifecycle);

        String job = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "filter",
                Map.of("tagsAll", List.of(tag)), "fields", List.of("id", "name", "email", "attributes.city"), "tags",
                true, "buckets", List.of("lifecycle"))).post(EXPORTS).then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString(EXPORTS + "/")).extract().as(Json.class).get("id");
        Json done = awaitFinished(job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(done.getInt("rows")).isEqualTo(3);
        assertThat(done.getBoolean("masked")).isFalse();
        assertThat(done.getString("expiresAt")).isNotNull();

        String file = asAdmin().get(EXPORTS + "/" + job + "/file").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"customers-" + job + ".csv\"")
                .extract().asString();
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertThat(file).isEqualTo("id,name,email,attributes.city,tags,bucket.lifecycle\n"
                + line(sorted.get(0), ids, tag) + line(sorted.get(1), ids, tag) + line(sorted.get(2), ids, tag));
    }

    private static String line(String id, List<String> ids, String tag) {
        String name = List.of("Ada", "\"Lovelace, \"\"Countess\"\"\"", "Grace").get(ids.indexOf(id));
        String mail = List.of("ada", "lov", "gra").get(ids.indexOf(id)) + "-" + tag + "@example.com";
        return id + "," + name + "," + mail + ",Beijing," + tag + ",new\n";
    }

    @Test
    void analystsGetContactFieldsMaskedAsTheApiMasksThemInNdjson() {
        String tag = tag();
        String id = customer("Masked", "masked-" + tag + "@example.com", "Xi'an");
        asAdmin().contentType("application/merge-patch+json").body(Map.of("phone", "+14155550123"))
                .patch("/api/v1/customers/" + id).then().statusCode(200);
        asAdmin().put("/api/v1/customers/" + id + "/tags/" + tag).then().statusCode(201);
        String job = asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("format", "NDJSON", "filter",
                Map.of("tagsAny", List.of(tag)), "fields", List.of("externalId", "email", "phone", "attributes"),
                "tags", true)).post(EXPORTS).then().statusCode(202).body(json("masked", equalTo(true))).extract().as(Json.class).get("id");
        assertThat(awaitFinished(job).getString("status")).isEqualTo("SUCCEEDED");
        String file = asUserWith(Roles.ANALYST).get(EXPORTS + "/" + job + "/file").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("application/x-ndjson")).extract().asString();
        Json line = Json.of(file.strip());
        assertThat(line.getString("email")).isEqualTo("m***@example.com");
        assertThat(line.getString("phone")).isEqualTo("+1******0123");
        assertThat(line.getString("externalId")).isNull();
        assertThat(line.getString("attributes.city")).isEqualTo("Xi'an");
        assertThat(line.getList("tags")).containsExactly(tag);
        String shown = asUserWith(Roles.ANALYST).get("/api/v1/customers/" + id).then().statusCode(200).extract()
                .as(Json.class).get("email");
        assertThat(line.getString("email")).isEqualTo(shown);
    }

    @Test
    void badDefinitionsAreRefusedWithTheirFieldsAndNothingIsQueued() {
        long before = exports();
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "fields", List.of("name", "password",
                "name", "attributes.bad-name"), "buckets", List.of("no-such-dimension"))).post(EXPORTS).then()
                .statusCode(422).contentType("application/problem+json")
                .body(json("errors.field", hasItem("fields[1]"))).body(json("errors.field", hasItem("fields[2]")))
                .body(json("errors.field", hasItem("fields[3]"))).body(json("errors.field", hasItem("buckets[0]")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "XLSX")).post(EXPORTS).then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "filter", Map.of("bucket", "new")))
                .post(EXPORTS).then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body("[]").post(EXPORTS).then().statusCode(400);
        asUserWith(Roles.SALES).contentType(ContentType.JSON).body(Map.of("format", "CSV")).post(EXPORTS).then()
                .statusCode(403);
        assertThat(exports()).isEqualTo(before);
        asAdmin().get(EXPORTS + "/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().get(EXPORTS + "/" + UUID.randomUUID() + "/file").then().statusCode(404);
        asAdmin().get(EXPORTS + "?cursor=forged").then().statusCode(400);
    }

    @Test
    void aFinishedExportCannotBeCancelledAndItsFileExpires() {
        String tag = tag();
        String job = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "filter",
                Map.of("tagsAll", List.of(tag)))).post(EXPORTS).then().statusCode(202).extract().as(Json.class).get("id");
        assertThat(awaitFinished(job).getInt("rows")).isZero();
        asAdmin().get(EXPORTS + "/" + job + "/file").then().statusCode(200).body(equalTo(
                "id,externalId,type,name,email,phone,registeredAt,lastActiveAt,createdAt,updatedAt\n"));
        asAdmin().post(EXPORTS + "/" + job + "/cancel").then().statusCode(409);
        asAdmin().get(EXPORTS + "?limit=1").then().statusCode(200).body(json("items[0].id", equalTo(job)));

        sql("UPDATE export_job SET expires_at = now() - interval '1 second' WHERE id = $1", job);
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXPIRED".equals(asAdmin().get(EXPORTS + "/" + job)
                .then().extract().as(Json.class).get("status")));
        asAdmin().get(EXPORTS + "/" + job + "/file").then().statusCode(410).contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM export_chunk WHERE job_id = $1", job)).isZero();
        sql("UPDATE export_job SET status = 'FAILED' WHERE id = $1", job);
        asAdmin().get(EXPORTS + "/" + job + "/file").then().statusCode(409);
    }

    @Test
    void anExportWhoseInstanceDiedResumesAfterItsLastWrittenPage() {
        String tag = tag();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = customer("R" + i, null, "Beijing");
            asAdmin().put("/api/v1/customers/" + id + "/tags/" + tag).then().statusCode(201);
            ids.add(id);
        }
        ids.sort(null);
        // as a dead instance left it: the first page (two customers) written, the job still RUNNING on a lapsed lease
        String job = asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "filter",
                Map.of("tagsAll", List.of(tag, "no-such-tag-" + tag)), "fields", List.of("id"))).post(EXPORTS)
                .then().statusCode(202).extract().as(Json.class).get("id");
        awaitFinished(job);
        sql("DELETE FROM export_chunk WHERE job_id = $1", job);
        pool.preparedQuery("UPDATE export_job SET status = 'RUNNING', filter = $2, cursor_id = $3,"
                + " rows_written = 2, chunks = 1, owner = 'dead', lease_until = now() - interval '1 second',"
                + " finished_at = NULL, expires_at = NULL WHERE id = $1").execute(Tuple.of(UUID.fromString(job),
                        new JsonObject().put("tagsAll", new JsonArray().add(tag)), UUID.fromString(ids.get(1))))
                .await().indefinitely();
        pool.preparedQuery("INSERT INTO export_chunk (job_id, seq, body) VALUES ($1, 0, $2)").execute(Tuple.of(
                UUID.fromString(job), io.vertx.core.buffer.Buffer.buffer("id\n" + ids.get(0) + "\n"
                        + ids.get(1) + "\n"))).await().indefinitely();

        Json done = awaitFinished(job);
        assertThat(done.getInt("rows")).isEqualTo(5);
        assertThat(asAdmin().get(EXPORTS + "/" + job + "/file").then().statusCode(200).extract().asString())
                .isEqualTo("id\n" + String.join("\n", ids) + "\n");
    }

    private static void awaitLifecycle(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> asAdmin().get("/api/v1/customers/" + id + "/segments")
                .then().statusCode(200).extract().as(Json.class).getList("key").contains("lifecycle"));
    }

    private static Json awaitFinished(String job) {
        return DataJobs.awaitFinished(EXPORTS + "/" + job);
    }

    private static String customer(String name, String email, String city) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "attributes", Map.of("city", city)));
        if (email != null) {
            body.put("email", email);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    private static String tag() {
        String key = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", key)).post("/api/v1/tags").then()
                .statusCode(201);
        return key;
    }

    private long exports() {
        return pool.query("SELECT count(*) FROM export_job").execute().await().indefinitely().iterator().next()
                .getLong(0);
    }

    private long count(String sql, String job) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(job))).await().indefinitely().iterator().next()
                .getLong(0);
    }

    private void sql(String sql, String job) {
        pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(job))).await().indefinitely();
    }
}
