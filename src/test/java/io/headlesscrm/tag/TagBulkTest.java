package io.headlesscrm.tag;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Bulk assign and remove: by ids at once and all or nothing, by a filter as a background job. */
@QuarkusTest
class TagBulkTest {

    private static final String BULK = "/api/v1/tag-assignments";

    @Inject
    Pool pool;

    @Test
    void byIdsAssignsWhatCustomersLackAndLeavesLiveAssignmentsAlone() {
        List<String> customers = customers(3, Map.of());
        String vip = tag();
        String hotels = tag();
        String later = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS).toString();
        asAdmin().contentType(ContentType.JSON).body(Map.of("expiresAt", later))
                .put("/api/v1/customers/" + customers.get(0) + "/tags/" + vip).then().statusCode(201);
        tagsOf(customers.get(1)); // warm the cache: the bulk change must invalidate it

        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(vip, hotels),
                "customerIds", List.of(customers.get(0), customers.get(1), customers.get(2), customers.get(1)),
                "source", "IMPORT"))
                .post(BULK).then().statusCode(200).body(json("customers", equalTo(3))).body(json("changed", equalTo(5)))
                .body(json("unchanged", equalTo(1)));

        for (String c : customers) {
            assertThat(tagsOf(c).getList("key")).containsExactlyElementsOf(sorted(vip, hotels));
        }
        // the live assignment kept its source and expiry
        assertThat(tagsOf(customers.get(0)).getString("find { it.key == '" + vip + "' }.expiresAt")).isEqualTo(later);
        assertThat(tagsOf(customers.get(0)).getString("find { it.key == '" + vip + "' }.source")).isEqualTo("MANUAL");
        asAdmin().get("/api/v1/audit-log?entity=customer-tag&entityId=" + customers.get(2) + "/" + hotels).then()
                .statusCode(200).body(json("items.action", equalTo(List.of("create"))))
                .body(json("items[0].changes.source.new", equalTo("IMPORT")))
                .body(json("items[0].actor.type", equalTo("api-key")));
    }

    @Test
    void byIdsRemovesAndAuditsEachRemoval() {
        List<String> customers = customers(2, Map.of());
        String vip = tag();
        asAdmin().put("/api/v1/customers/" + customers.get(0) + "/tags/" + vip).then().statusCode(201);
        tagsOf(customers.get(0));

        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("operation", "REMOVE", "tags", List.of(vip), "customerIds", customers))
                .post(BULK).then().statusCode(200).body(json("changed", equalTo(1))).body(json("unchanged", equalTo(1)));

        assertThat(tagsOf(customers.get(0)).getList("key")).isEmpty();
        asAdmin().get("/api/v1/audit-log?entity=customer-tag&entityId=" + customers.get(0) + "/" + vip).then()
                .body(json("items.action", equalTo(List.of("delete", "create"))));
    }

    @Test
    void anUnknownTagOrCustomerFailsTheWholeRequestAndNamesEachItem() {
        List<String> customers = customers(2, Map.of());
        String vip = tag();
        String missing = UUID.randomUUID().toString();

        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of(vip, "no-such-tag"),
                "customerIds", List.of(customers.get(0), missing, customers.get(1))))
                .post(BULK).then().statusCode(422).contentType("application/problem+json")
                .body(json("type", containsString("invalid-items")))
                .body(json("errors.field", equalTo(List.of("tags[1]", "customerIds[1]"))));

        for (String c : customers) {
            assertThat(tagsOf(c).getList("key")).isEmpty(); // nothing half-applied
        }
    }

    @Test
    void badBulkRequestsAre422WithTheFieldAndWriteNothing() {
        String customer = customers(1, Map.of()).get(0);
        String vip = tag();
        List<String> tooMany = IntStream.range(0, BulkTagInput.MAX_CUSTOMERS + 1)
                .mapToObj(i -> UUID.randomUUID().toString()).toList();
        List<String> tooManyTags = Collections.nCopies(BulkTagInput.MAX_TAGS + 1, vip);
        String past = Instant.now().minusSeconds(60).toString();
        List<Map<String, Object>> bodies = List.of(
                Map.of("operation", "ASSIGN", "tags", List.of(vip), "customerIds", tooMany),
                Map.of("operation", "ASSIGN", "tags", tooManyTags, "customerIds", List.of(customer)),
                Map.of("operation", "ASSIGN", "tags", List.of("has space"), "customerIds", List.of(customer)),
                Map.of("operation", "ASSIGN", "tags", List.of("x".repeat(65)), "customerIds", List.of(customer)),
                Map.of("operation", "ASSIGN", "tags", List.of(vip), "customerIds", List.of(customer), "expiresAt", past),
                Map.of("operation", "ASSIGN", "tags", List.of(vip)),
                Map.of("operation", "ASSIGN", "tags", List.of(vip), "customerIds", List.of(customer), "filter", Map.of()),
                Map.of("operation", "ASSIGN", "tags", List.of(vip), "customerIds", List.of()),
                Map.of("operation", "ASSIGN", "tags", List.of(), "customerIds", List.of(customer)),
                Map.of("operation", "REMOVE", "tags", List.of(vip), "customerIds", List.of(customer), "source", "RULE"),
                Map.of("tags", List.of(vip), "customerIds", List.of(customer)));
        List<String> fields = List.of("customerIds", "tags", "tags[0]", "tags[0]", "expiresAt", "customerIds",
                "filter", "customerIds", "tags", "source", "operation");
        for (int i = 0; i < bodies.size(); i++) {
            asAdmin().contentType(ContentType.JSON).body(bodies.get(i)).post(BULK).then().statusCode(422)
                    .contentType("application/problem+json").body(json("errors.field", hasItem(fields.get(i))));
        }
        asAdmin().contentType(ContentType.JSON).body("{\"operation\": \"ASSIGN\", \"tags\": [\"" + vip
                + "\"], \"filter\": {\"tagAll\": [\"typo\"]}}").post(BULK).then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(tagsOf(customer).getList("key")).isEmpty();
        asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN", "tags", List.of("no-such-tag"),
                "filter", Map.of())).post(BULK).then().statusCode(422).body(json("errors.field", equalTo(List.of("tags[0]"))));
    }

    @Test
    void byFilterRunsABackgroundJobInBatchesWithProgressAndAFinalCount() {
        String batch = UUID.randomUUID().toString();
        List<String> customers = customers(7, Map.of("batch", batch));
        customers(2, Map.of("batch", "other-" + batch));
        String vip = tag();
        tagsOf(customers.get(6));

        String location = asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "ASSIGN",
                "tags", List.of(vip), "filter", Map.of("attributes", Map.of("batch", batch))))
                .post(BULK).then().statusCode(202).header("Location", containsString("/api/v1/tag-jobs/"))
                .body(json("status", equalTo("QUEUED"))).body(json("filter.attributes.batch", equalTo(batch)))
                .extract().header("Location");

        Json job = awaitFinished(location);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("total")).isEqualTo(7);
        assertThat(job.getInt("processed")).isEqualTo(7);
        assertThat(job.getInt("changed")).isEqualTo(7);
        assertThat(job.getString("createdBy.type")).isEqualTo("api-key");
        for (String c : customers) {
            assertThat(tagsOf(c).getList("key")).containsExactly(vip);
        }
        asAdmin().get("/api/v1/customers?tagsAll=" + vip).then().body(json("items.size()", equalTo(7)));
        asAdmin().get("/api/v1/audit-log?entity=customer-tag&entityId=" + customers.get(3) + "/" + vip).then()
                .body(json("items[0].actor.type", equalTo("api-key")));
        asAdmin().get("/api/v1/tag-jobs?limit=100").then().statusCode(200)
                .body(json("items.id", hasItem(job.getString("id"))));
        asAdmin().post(location + "/cancel").then().statusCode(409).contentType("application/problem+json");

        // and back: remove by the same filter
        String removal = asAdmin().contentType(ContentType.JSON).body(Map.of("operation", "REMOVE",
                "tags", List.of(vip), "filter", Map.of("tagsAll", List.of(vip)))).post(BULK).then().statusCode(202)
                .extract().header("Location");
        assertThat(awaitFinished(removal).getInt("changed")).isEqualTo(7);
        assertThat(tagsOf(customers.get(6)).getList("key")).isEmpty();
    }

    @Test
    void aJobWhoseInstanceDiedResumesAfterItsCursorOnceTheLeaseLapses() {
        String batch = UUID.randomUUID().toString();
        List<String> customers = new ArrayList<>(customers(5, Map.of("batch", batch)));
        Collections.sort(customers); // UUID text order is PostgreSQL's uuid order
        String vip = tag();
        UUID job = UUID.randomUUID();
        // as a dead instance left it: two customers done, its lease lapsed
        pool.preparedQuery("INSERT INTO tag_job (id, operation, tag_keys, source, filter, status, total, processed,"
                + " changed, cursor_id, owner, lease_until, actor_type, actor_id, created_at, started_at)"
                + " VALUES ($1, 'ASSIGN', $2, 'RULE', $3::jsonb, 'RUNNING', 5, 2, 2, $4, 'dead', now() - interval '1 second',"
                + " 'system', 'system', now(), now())")
                .execute(Tuple.of(job, new String[] { vip }, new JsonObject(Map.of("attributes", Map.of("batch", batch))),
                        UUID.fromString(customers.get(1))))
                .await().indefinitely();

        Json done = awaitFinished("/api/v1/tag-jobs/" + job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(done.getInt("processed")).isEqualTo(5);
        assertThat(done.getInt("changed")).isEqualTo(5);
        assertThat(tagsOf(customers.get(0)).getList("key")).isEmpty(); // before the cursor: not visited again
        assertThat(tagsOf(customers.get(1)).getList("key")).isEmpty();
        for (String c : customers.subList(2, 5)) {
            assertThat(tagsOf(c).getList("key")).containsExactly(vip);
        }
    }

    @Test
    void unknownJobsAre404() {
        UUID unknown = UUID.randomUUID();
        noSuchJob(asAdmin().get("/api/v1/tag-jobs/" + unknown).then(), unknown);
        noSuchJob(asAdmin().post("/api/v1/tag-jobs/" + unknown + "/cancel").then(), unknown);
    }

    private static void noSuchJob(ValidatableResponse response, UUID id) {
        response.statusCode(404).contentType("application/problem+json")
                .body(json("type", equalTo("https://headless-crm.dev/problems/not-found"))).body(json("status", equalTo(404)))
                .body(json("detail", equalTo("Tag job " + id + " does not exist")));
    }

    private static Json awaitFinished(String location) {
        Json[] job = new Json[1];
        Waits.eventually().alias("job " + location + " finished").until(() -> {
            job[0] = asAdmin().get(location).then().statusCode(200).extract().as(Json.class);
            return !List.of("QUEUED", "RUNNING").contains(job[0].getString("status"));
        });
        return job[0];
    }

    private static Json tagsOf(String customer) {
        return asAdmin().get("/api/v1/customers/" + customer + "/tags").then().statusCode(200).extract().as(Json.class);
    }

    private static List<String> customers(int n, Map<String, String> attributes) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "Bulk " + i));
            body.put("attributes", attributes);
            ids.add(asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/customers").then().statusCode(201)
                    .extract().as(Json.class).get("id"));
        }
        return ids;
    }

    private static List<String> sorted(String... keys) {
        return java.util.Arrays.stream(keys).sorted().toList();
    }

    private static String tag() {
        String key = "b-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Bulk")).post("/api/v1/tags").then()
                .statusCode(201);
        return key;
    }
}
