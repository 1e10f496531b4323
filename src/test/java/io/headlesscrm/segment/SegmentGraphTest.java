package io.headlesscrm.segment;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What a segment write checks against other segments holds when writes race: concurrent PATCHes cannot store a
 * cycle, a delete and a new reference to the deleted segment cannot both succeed, and the audit row of a create or
 * update commits (or not) with the change.
 */
@QuarkusTest
class SegmentGraphTest {

    private static final int PAIRS = 25;

    @Inject
    Pool pool;

    private static String audience(String key, Object condition) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", key, "condition", condition))
                .post("/api/v1/segments").then().statusCode(201).extract().as(Json.class).get("id");
    }

    private static Map<String, Object> named(String value) {
        return Map.of("attr", "name", "op", "eq", "value", value);
    }

    private static Response readsOther(String id, String own, String otherKey) {
        return asAdmin().contentType("application/merge-patch+json")
                .body(Map.of("condition", Map.of("or", List.of(named(own), Map.of("segment", otherKey)))))
                .patch("/api/v1/segments/" + id);
    }

    /** Runs every call at once (as far as threads let them: they wait for one gate) and returns their answers. */
    private static <T> List<T> atOnce(List<Supplier<T>> calls) {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<CompletableFuture<T>> answers = new ArrayList<>();
            for (Supplier<T> call : calls) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return call.get();
                }, threads));
            }
            gate.countDown();
            return answers.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void fiftyConcurrentAttemptsToCloseACycleNeverStoreOne() {
        String marker = "g" + UUID.randomUUID().toString().substring(0, 8);
        List<String[]> pairs = new ArrayList<>(); // id of a, id of b, key of a, key of b
        for (int i = 0; i < PAIRS; i++) {
            String a = "a" + i + "-" + marker;
            String b = "b" + i + "-" + marker;
            pairs.add(new String[] { audience(a, named(a)), audience(b, named(b)), a, b });
        }
        List<Supplier<Response>> patches = new ArrayList<>();
        for (String[] p : pairs) {
            patches.add(() -> readsOther(p[0], p[2], p[3])); // a reads b
            patches.add(() -> readsOther(p[1], p[3], p[2])); // b reads a
        }

        List<Response> answers = atOnce(patches);

        for (int i = 0; i < PAIRS; i++) {
            Response first = answers.get(2 * i);
            Response second = answers.get(2 * i + 1);
            List<Integer> codes = List.of(first.statusCode(), second.statusCode());
            assertThat(codes).as("pair %d: one PATCH wins, the other closes the cycle", i)
                    .containsExactlyInAnyOrder(200, 422);
            Response refused = first.statusCode() == 422 ? first : second;
            assertThat(Json.of(refused.asString()).getString("errors[0].field")).isEqualTo("condition");
            assertThat(Json.of(refused.asString()).getString("errors[0].pointer")).isEqualTo("/or/1/segment");
        }
        Map<UUID, List<UUID>> graph = new HashMap<>();
        pool.query("SELECT id, depends_on FROM segment").execute().await().indefinitely()
                .forEach(r -> graph.put(r.getUUID(0), List.of(r.getArrayOfUUIDs(1))));
        for (String[] p : pairs) {
            UUID a = UUID.fromString(p[0]);
            UUID b = UUID.fromString(p[1]);
            assertThat(graph.get(a).contains(b) && graph.get(b).contains(a)).as("%s and %s read each other", p[2], p[3])
                    .isFalse();
            assertThat(graph.get(a).contains(b) || graph.get(b).contains(a)).as("one of %s, %s reads the other", p[2],
                    p[3]).isTrue();
        }
        graph.keySet().forEach(id -> assertThat(reachesItself(id, graph)).as("segment %s is in a cycle", id).isFalse());
    }

    @Test
    void aSegmentIsNeverDeletedWhileANewConditionStartsReadingIt() {
        String marker = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<Supplier<Integer>> writes = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            String target = "t" + i + "-" + marker;
            String id = audience(target, named(target));
            targets.add(id);
            String reader = "r" + i + "-" + marker;
            writes.add(() -> asAdmin().delete("/api/v1/segments/" + id).statusCode());
            writes.add(() -> asAdmin().contentType(ContentType.JSON).body(Map.of("key", reader, "name", reader,
                    "condition", Map.of("segment", target))).post("/api/v1/segments").statusCode());
        }

        List<Integer> codes = atOnce(writes);

        for (int i = 0; i < PAIRS; i++) {
            // the delete first: the reader is refused (422); the reader first: the delete is refused (409)
            assertThat(List.of(codes.get(2 * i), codes.get(2 * i + 1))).as("pair %d: delete, then create", i)
                    .isIn(List.of(204, 422), List.of(409, 201));
        }
        assertThat(count("SELECT count(*) FROM segment s, unnest(s.depends_on) d(read)"
                + " WHERE NOT EXISTS (SELECT 1 FROM segment t WHERE t.id = d.read)")).as("references to deleted segments").isZero();
    }

    @Test
    void aSegmentsCreateAndUpdateCommitWithTheirAuditRowOrNotAtAll() {
        String marker = "x" + UUID.randomUUID().toString().substring(0, 8);
        String id = audience("audited-" + marker, named(marker));
        // the audit row of any segment change naming "refused-<marker>" cannot be written
        String function = "refuse_audit_" + marker;
        sql("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'audit row refused'; END $$");
        sql("CREATE TRIGGER " + function + " BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.entity = 'segment'"
                + " AND NEW.changes::text LIKE '%refused-" + marker + "%') EXECUTE FUNCTION " + function + "()");
        try {
            int created = asAdmin().contentType(ContentType.JSON).body(Map.of("key", "refused-" + marker, "name", "x",
                    "condition", named(marker))).post("/api/v1/segments").statusCode();
            int updated = asAdmin().contentType("application/merge-patch+json")
                    .body(Map.of("name", "refused-" + marker)).patch("/api/v1/segments/" + id).statusCode();

            assertThat(List.of(created, updated)).as("the writes fail with their audit rows").containsOnly(500);
        } finally {
            sql("DROP TRIGGER " + function + " ON audit_log");
            sql("DROP FUNCTION " + function + "()");
        }
        assertThat(count("SELECT count(*) FROM segment WHERE key = 'refused-" + marker + "'")).as("created").isZero();
        asAdmin().get("/api/v1/segments/" + id).then().statusCode(200)
                .body(json("name", equalTo("audited-" + marker)))
                .body(json("version", equalTo(0)));
        // and a write whose audit row is written has it from the moment the change is visible
        asAdmin().contentType("application/merge-patch+json").body(Map.of("name", "renamed-" + marker))
                .patch("/api/v1/segments/" + id).then().statusCode(200);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity = 'segment' AND entity_id = '" + id + "'"))
                .isEqualTo(2);
    }

    private static boolean reachesItself(UUID start, Map<UUID, List<UUID>> graph) {
        Set<UUID> seen = new HashSet<>();
        List<UUID> pending = new ArrayList<>(graph.getOrDefault(start, List.of()));
        while (!pending.isEmpty()) {
            UUID next = pending.remove(pending.size() - 1);
            if (next.equals(start)) {
                return true;
            }
            if (seen.add(next)) {
                pending.addAll(graph.getOrDefault(next, List.of()));
            }
        }
        return false;
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    private long count(String query) {
        return pool.query(query).execute().await().indefinitely().iterator().next().getLong(0);
    }
}
