package io.headlesscrm.dataio;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Imports: mapping, modes, per-row errors and their report, bad files, cancel, and resuming a dead instance's job. */
@QuarkusTest
class ImportTest {

    private static final String IMPORTS = "/api/v1/imports";

    @Inject
    Pool pool;

    @Test
    void csvUpsertCreatesUpdatesLeavesUnchangedAndReportsBadRowsByLine() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String vip = tag();
        String hotels = tag();
        asAdmin().contentType(ContentType.JSON).body(Map.of("externalId", run + "-old", "name", "Old Name",
                "attributes", Map.of("city", "Beijing"))).post("/api/v1/customers").then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body(Map.of("externalId", run + "-same", "name", "Same"))
                .post("/api/v1/customers").then().statusCode(201);
        String csv = "ID,Full name,E-mail,City,Labels,SMS,Ignored\r\n"
                + run + "-1,Ada,ada-" + run + "@example.com,Shanghai," + vip + ";" + hotels + ",opted_out,x\r\n"
                + run + "-2,Bad Email,not-an-email,,,,\r\n"
                + run + "-3,Unknown Tag,,,nope-" + run + ",,\r\n"
                + run + "-4,\"Lovelace, \"\"Countess\"\"\nof Lovelace\",,,,,\r\n"
                + run + "-old,New Name,,,,,\r\n"
                + "\r\n"
                + run + "-same,Same,,,,,\r\n"
                + run + "-5,Too,Many,Cells,,,,,\r\n";
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("ID", "externalId", "Full name", "name", "E-mail", "email", "City", "attributes.city",
                        "Labels", "tags", "SMS", "consent.SMS")));
        upload(job, "text/csv", csv).then().statusCode(202).body(json("status", equalTo("QUEUED"))).body(json("total", equalTo(7)));

        Json done = awaitFinished(job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(done.getInt("read")).isEqualTo(7);
        assertThat(done.getInt("created")).isEqualTo(2);
        assertThat(done.getInt("updated")).isEqualTo(1);
        assertThat(done.getInt("unchanged")).isEqualTo(1);
        assertThat(done.getInt("failed")).isEqualTo(3);
        assertEveryRowAccountedFor(done);

        Json ada = customer(run + "-1");
        assertThat(ada.getString("name")).isEqualTo("Ada");
        assertThat(ada.getString("attributes.city")).isEqualTo("Shanghai");
        String adaId = ada.getString("id");
        assertThat(asAdmin().get("/api/v1/customers/" + adaId + "/tags").then().statusCode(200).extract().as(Json.class)
                .getList("key")).containsExactlyInAnyOrder(vip, hotels);
        asAdmin().get("/api/v1/customers/" + adaId + "/consents").then().statusCode(200)
                .body(json("find { it.channel == 'SMS' }.status", equalTo("OPTED_OUT")));
        assertThat(customer(run + "-4").getString("name")).isEqualTo("Lovelace, \"Countess\"\nof Lovelace");
        Json old = customer(run + "-old");
        assertThat(old.getString("name")).isEqualTo("New Name");
        assertThat(old.getString("attributes.city")).as("an empty cell leaves the field").isEqualTo("Beijing");
        assertThat(customer(run + "-same").getInt("version")).as("an unchanged row writes nothing").isZero();
        asAdmin().get("/api/v1/customers-by-external-id/" + run + "-2").then().statusCode(404);
        asAdmin().get("/api/v1/customers-by-external-id/" + run + "-3").then().statusCode(404);

        String report = asAdmin().get(IMPORTS + "/" + job + "/errors").then().statusCode(200)
                .contentType(containsText("text/csv")).extract().asString();
        assertThat(report.lines().toList()).containsExactly("line,field,reason",
                "3,email,must be a well-formed email address",
                "4,tags,no tag has the key 'nope-" + run + "'",
                "10,,has 9 cells where the header has 7");
        asAdmin().get("/api/v1/audit-log?entity=customer&entityId=" + adaId).then().statusCode(200)
                .body(json("items.action", hasItem("create")));
    }

    @Test
    void anUnclosedQuoteFailsTheLineItOpensOnAndTheLinesAfterItAreReadAsRows() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("ext", "externalId", "name", "name")));
        // the file of issue 31: q-2's quote is never closed
        upload(job, "text/csv", "ext,name\n" + run + "q-1,Ann\n" + run + "q-2,\"Bob\n" + run + "q-3,Cat\n" + run
                + "q-4,Dan\n").then().statusCode(202).body(json("total", equalTo(4)));

        Json done = awaitFinished(job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertEveryRowAccountedFor(done);
        assertThat(done.getInt("created")).isEqualTo(3);
        assertThat(done.getInt("failed")).isEqualTo(1);
        assertThat(customer(run + "q-1").getString("name")).isEqualTo("Ann");
        assertThat(customer(run + "q-3").getString("name")).isEqualTo("Cat");
        assertThat(customer(run + "q-4").getString("name")).isEqualTo("Dan");
        asAdmin().get("/api/v1/customers-by-external-id/" + run + "q-2").then().statusCode(404);
        assertThat(asAdmin().get(IMPORTS + "/" + job + "/errors").then().statusCode(200).extract().asString().lines()
                .toList()).containsExactly("line,field,reason", "3,," + UNCLOSED);
    }

    @Test
    void everyRecordOfAFileIsARowCountedOnceAcrossChunks() {
        String run = UUID.randomUUID().toString().substring(0, 8) + "-";
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("ext", "externalId", "name", "name", "note", "attributes.note")));
        // chunks of 3 rows in tests; CRLF line ends and a byte order mark
        String csv = "\uFEFFext,name,note\r\n"
                + run + "1,Ann,a\r\n"
                + run + "2,\"Bob,b\r\n" // never closed: read as far as line 7's quote, it takes five lines, two chunks
                + run + "3,Cat,c\r\n"
                + run + "4,Dan,d\r\n"
                + run + "5,Eve,e\r\n"
                + run + "6,\"Fay, F\",f\r\n"
                + run + "7,\"Gus\nGustav\",\"a \"\"quoted\"\" note, with a comma\"\r\n" // lines 8-9, legal
                + "   \r\n" // blank: no row
                + run + "8,Hal\r\n"
                + run + "9,Ida,i,extra\r\n"
                + run + "10,\"Jo\"e,j\r\n"
                + run + "11,Kim,\"k"; // never closed, at the end of a file without a last line break
        upload(job, "text/csv", csv).then().statusCode(202).body(json("total", equalTo(11)));

        Json done = awaitFinished(job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertEveryRowAccountedFor(done);
        assertThat(done.getInt("created")).isEqualTo(6);
        assertThat(done.getInt("failed")).isEqualTo(5);
        for (String n : List.of("1", "3", "4", "5")) {
            customer(run + n);
        }
        assertThat(customer(run + "6").getString("name")).isEqualTo("Fay, F");
        Json gus = customer(run + "7");
        assertThat(gus.getString("name")).isEqualTo("Gus\nGustav");
        assertThat(gus.getString("attributes.note")).isEqualTo("a \"quoted\" note, with a comma");
        assertThat(asAdmin().get(IMPORTS + "/" + job + "/errors").then().statusCode(200).extract().asString().lines()
                .toList()).containsExactly("line,field,reason",
                        "3,," + UNCLOSED,
                        "11,,has 2 cells where the header has 3",
                        "12,,has 4 cells where the header has 3",
                        "13,,text follows the closing quote of a cell (a quote inside a quoted cell is written twice)",
                        "14,," + UNCLOSED);
    }

    private static final String UNCLOSED = "a quote opened on this line is never closed where its cell ends; the lines"
            + " after this one are read as rows of their own";

    /** What the file held is what the job counts: each row created, updated, unchanged or failed, once. */
    private static void assertEveryRowAccountedFor(Json done) {
        int total = done.getInt("total");
        assertThat(done.getInt("read")).isEqualTo(total);
        assertThat(done.getInt("created") + done.getInt("updated") + done.getInt("unchanged") + done.getInt("failed"))
                .isEqualTo(total);
    }

    @Test
    void ndjsonModesCreateOnlyAndUpdateOnlyFailRowsTheyMayNotWrite() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("email", "Here-" + run + "@example.com", "name", "Here"))
                .post("/api/v1/customers").then().statusCode(201);
        String rows = "{\"mail\": \"here-" + run + "@example.com\", \"n\": \"Here again\", \"score\": 7}\n"
                + "{\"mail\": \"new-" + run + "@example.com\", \"n\": \"New\"}\n"
                + "[1, 2]\n"
                + "{not json\n";
        Map<String, String> columns = columns("mail", "email", "n", "name", "score", "attributes.score");
        String create = define(Map.of("format", "NDJSON", "matchKey", "EMAIL", "mode", "CREATE", "columns", columns));
        upload(create, "application/x-ndjson", rows).then().statusCode(202);
        Json created = awaitFinished(create);
        assertThat(created.getInt("created")).isEqualTo(1);
        assertThat(created.getInt("failed")).isEqualTo(3);

        String update = define(Map.of("format", "NDJSON", "matchKey", "EMAIL", "mode", "UPDATE", "columns", columns,
                "webhooks", false));
        upload(update, "application/x-ndjson", "{\"mail\": \"HERE-" + run + "@example.com\", \"score\": 7}\n"
                + "{\"mail\": \"nobody-" + run + "@example.com\", \"n\": \"Nobody\"}\n").then().statusCode(202);
        Json updated = awaitFinished(update);
        assertThat(updated.getInt("updated")).isEqualTo(1);
        assertThat(updated.getInt("failed")).isEqualTo(1);
        String report = asAdmin().get(IMPORTS + "/" + update + "/errors").then().statusCode(200).extract().asString();
        assertThat(report).contains("2,email,no customer has this email (mode UPDATE)");
        String createReport = asAdmin().get(IMPORTS + "/" + create + "/errors").then().extract().asString();
        assertThat(createReport).contains("1,email,a customer with this email already exists (mode CREATE)",
                "3,,must be a JSON object", "4,,not valid JSON");
    }

    @Test
    void badDefinitionsAreRejectedWithTheirFields() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode",
                "UPSERT", "columns", columns("a", "nickname", "b", "consent.PIGEON", "c", "name")))
                .post(IMPORTS).then().statusCode(422).contentType("application/problem+json")
                .body(json("errors.field", hasItem("columns.a"))).body(json("errors.field", hasItem("columns.b")))
                .body(json("errors.field", hasItem("matchKey")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("format", "XLSX", "matchKey", "EMAIL", "mode", "UPSERT",
                "columns", columns("e", "email"))).post(IMPORTS).then().statusCode(400);
        asUserWith(Roles.ANALYST).contentType(ContentType.JSON).body(Map.of("format", "CSV", "matchKey", "EMAIL", "mode",
                "UPSERT", "columns", columns("e", "email"))).post(IMPORTS).then().statusCode(403);
    }

    @Test
    void badFilesLeaveNothingStoredAndTheJobAwaitingItsFile() {
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("id", "externalId", "name", "name")));
        upload(job, "application/x-ndjson", "{}\n").then().statusCode(415).contentType("application/problem+json");
        byte[] latin1 = "id,name\nx1,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        asAdmin().contentType("text/csv").body(latin1).put(IMPORTS + "/" + job + "/file").then().statusCode(400)
                .body(json("type", equalTo("https://headless-crm.dev/problems/invalid-encoding")));
        upload(job, "text/csv", "id,nom\nx1,Jose\n").then().statusCode(422).body(json("errors.field", hasItem("columns.name")));
        upload(job, "text/csv", "id,\"name\nx1,Jose\n").then().statusCode(422).body(json("errors.field", hasItem("header")))
                .body(json("errors.message", hasItem("the header on line 1 has a quote that is not closed where its cell"
                        + " ends")));
        upload(job, "text/csv", "").then().statusCode(422);
        assertThat(chunks(job)).isZero();
        asAdmin().get(IMPORTS + "/" + job).then().statusCode(200).body(json("status", equalTo("AWAITING_FILE")));

        String run = UUID.randomUUID().toString().substring(0, 8);
        upload(job, "text/csv", "\uFEFFid,name\n" + run + ",Jos\u00e9\n").then().statusCode(202);
        upload(job, "text/csv", "id,name\n").then().statusCode(409);
        assertThat(awaitFinished(job).getInt("created")).isEqualTo(1);
        assertThat(customer(run).getString("name")).isEqualTo("Jos\u00e9");
        asAdmin().get(IMPORTS + "/" + UUID.randomUUID()).then().statusCode(404);
        upload(UUID.randomUUID().toString(), "text/csv", "id\n").then().statusCode(404);
        asAdmin().get(IMPORTS + "/" + UUID.randomUUID() + "/errors").then().statusCode(404);
    }

    @Test
    void importedChangesRaiseTheUsualWebhooksUnlessAskedForNone() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String vip = tag();
        String endpoint = asAdmin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/imports",
                "eventTypes", List.of("customer.created", "tag.assigned"))).post("/api/v1/webhook-endpoints").then()
                .statusCode(201).extract().as(Json.class).get("id");
        try {
            Map<String, String> columns = columns("id", "externalId", "name", "name", "tags", "tags");
            String loud = define(Map.of("format", "NDJSON", "matchKey", "EXTERNAL_ID", "mode", "CREATE", "columns",
                    columns));
            upload(loud, "application/x-ndjson", "{\"id\": \"" + run + "-a\", \"name\": \"A\", \"tags\": [\"" + vip
                    + "\"]}\n{\"id\": \"" + run + "-b\", \"name\": \"B\"}\n").then().statusCode(202);
            assertThat(awaitFinished(loud).getInt("created")).isEqualTo(2);
            String quiet = define(Map.of("format", "NDJSON", "matchKey", "EXTERNAL_ID", "mode", "CREATE", "columns",
                    columns, "webhooks", false));
            upload(quiet, "application/x-ndjson", "{\"id\": \"" + run + "-q\", \"name\": \"Q\", \"tags\": \"" + vip
                    + "\"}\n").then().statusCode(202);
            assertThat(awaitFinished(quiet).getInt("created")).isEqualTo(1);

            assertThat(messages(endpoint, "customer.created", run + "-a")).isEqualTo(1);
            assertThat(messages(endpoint, "customer.created", run + "-b")).isEqualTo(1);
            assertThat(messages(endpoint, "tag.assigned", vip)).isEqualTo(1);
            assertThat(messages(endpoint, "customer.created", run + "-q")).isZero();
            String quietId = customer(run + "-q").getString("id");
            asAdmin().get("/api/v1/audit-log?entityId=" + quietId).then().statusCode(200)
                    .body(json("items.action", hasItem("create")));
            assertThat(asAdmin().get("/api/v1/customers/" + quietId + "/tags").then().statusCode(200).extract()
                    .as(Json.class).getList("source")).containsExactly("IMPORT");
        } finally {
            asAdmin().delete("/api/v1/webhook-endpoints/" + endpoint).then().statusCode(204);
        }
    }

    private long messages(String endpoint, String type, String mention) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_message WHERE endpoint_id = $1 AND event_type = $2"
                + " AND body LIKE $3").execute(Tuple.of(UUID.fromString(endpoint), type, "%" + mention + "%"))
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void csvCellsOfDeclaredNumberAttributesAreNumbersAndACreatedCustomerIsWrittenOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String attribute = "imp_n_" + run;
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "name", attribute, "type", "NUMBER"))
                .post("/api/v1/properties").then().statusCode(201);
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("id", "externalId", "name", "name", "n", "attributes." + attribute)));
        upload(job, "text/csv", "id,name,n\n" + run + "-i,I,7\n" + run + "-d,D,2.50\n" + run + "-x,X,seven\n").then()
                .statusCode(202);
        Json done = awaitFinished(job);
        assertThat(done.getInt("created")).as(asAdmin().get(IMPORTS + "/" + job + "/errors").asString()).isEqualTo(2);
        assertThat(done.getInt("failed")).isEqualTo(1);
        Json whole = customer(run + "-i");
        assertThat(whole.getInt("attributes." + attribute)).isEqualTo(7);
        assertThat(whole.getInt("version")).as("inserted, not written again").isZero();
        assertThat(customer(run + "-d").getDouble("attributes." + attribute)).isEqualTo(2.5);
        assertThat(asAdmin().get(IMPORTS + "/" + job + "/errors").then().extract().asString())
                .contains("4,attributes." + attribute + ",");
    }

    @Test
    void aLaterRowOfTheFileUpdatesWhatAnEarlierOneCreated() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String job = define(Map.of("format", "NDJSON", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("id", "externalId", "name", "name")));
        upload(job, "application/x-ndjson", "{\"id\": \"" + run + "\", \"name\": \"First\"}\n{\"id\": \"" + run
                + "\", \"name\": \"Second\"}\n").then().statusCode(202);
        Json done = awaitFinished(job);
        assertThat(done.getInt("created")).isEqualTo(1);
        assertThat(done.getInt("updated")).isEqualTo(1);
        Json customer = customer(run);
        assertThat(customer.getString("name")).isEqualTo("Second");
        asAdmin().get("/api/v1/audit-log?entity=customer&entityId=" + customer.getString("id")).then().statusCode(200)
                .body(json("items.action", org.hamcrest.Matchers.containsInAnyOrder("create", "update")));
    }

    @Test
    void importsAreListedNewestFirstAPageAtATime() {
        String older = define(Map.of("format", "CSV", "matchKey", "EMAIL", "mode", "CREATE", "columns",
                columns("e", "email")));
        String newer = define(Map.of("format", "NDJSON", "matchKey", "EMAIL", "mode", "CREATE", "columns",
                columns("e", "email")));
        Json first = asAdmin().get(IMPORTS + "?limit=1").then().statusCode(200).extract().as(Json.class);
        assertThat(first.getList("items.id")).containsExactly(newer);
        asAdmin().queryParam("limit", 1).queryParam("cursor", first.getString("nextCursor")).get(IMPORTS).then()
                .statusCode(200).body(json("items[0].id", equalTo(older)));
        asAdmin().get(IMPORTS + "?cursor=forged").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void cancelStopsAnImportOnceAndOnlyOnce() {
        String job = define(Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("id", "externalId", "name", "name")));
        asAdmin().post(IMPORTS + "/" + job + "/cancel").then().statusCode(200).body(json("status", equalTo("CANCELLED")));
        asAdmin().post(IMPORTS + "/" + job + "/cancel").then().statusCode(409);
        upload(job, "text/csv", "id,name\n").then().statusCode(409);
    }

    @Test
    void anImportWhoseInstanceDiedResumesAfterItsLastAppliedChunk() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String job = define(Map.of("format", "NDJSON", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                columns("id", "externalId", "name", "name")));
        UUID id = UUID.fromString(job);
        // as a dead instance left it: chunk 0 applied (and deleted, 3 rows counted), chunks 1 and 2 waiting
        for (int seq = 1; seq <= 2; seq++) {
            String body = "{\"id\": \"" + run + "-" + seq + "a\", \"name\": \"A\"}\n{\"id\": \"" + run + "-" + seq
                    + "b\", \"name\": \"B\"}\n";
            pool.preparedQuery("INSERT INTO import_chunk (job_id, seq, first_line, body) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(id, seq, 1L + 2 * seq, Buffer.buffer(body))).await().indefinitely();
        }
        pool.preparedQuery("UPDATE import_job SET status = 'RUNNING', total = 7, rows_read = 3, created = 3,"
                + " owner = 'dead', lease_until = now() - interval '1 second', started_at = now() WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely();

        Json done = awaitFinished(job);
        assertThat(done.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(done.getInt("read")).isEqualTo(7);
        assertThat(done.getInt("created")).isEqualTo(7);
        assertThat(chunks(job)).isZero();
        for (String suffix : List.of("1a", "1b", "2a", "2b")) {
            assertThat(customer(run + "-" + suffix).getInt("version")).isZero();
        }
    }

    @Test
    void anUploadWhoseInstanceDiedIsTakenOverOrCancelledOnceItsLeaseLapses() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> definition = Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT",
                "columns", columns("id", "externalId", "name", "name"));
        String job = define(definition);
        // as a dead upload left it: UPLOADING, one chunk stored, its lease still running
        dieUploading(job, "id,name\n" + run + "-stale,Stale\n", "1 minute");
        upload(job, "text/csv", "id,name\n" + run + "-new,New\n").then().statusCode(409);
        asAdmin().post(IMPORTS + "/" + job + "/cancel").then().statusCode(409);
        // once the lease lapses, a new upload takes over and the stale chunk is dropped
        dieUploading(job, "id,name\n" + run + "-stale,Stale\n", "-1 second");
        upload(job, "text/csv", "id,name\n" + run + "-new,New\n").then().statusCode(202);
        Json done = awaitFinished(job);
        assertThat(done.getInt("created")).isEqualTo(1);
        customer(run + "-new");
        asAdmin().get("/api/v1/customers-by-external-id/" + run + "-stale").then().statusCode(404);

        String other = define(definition);
        dieUploading(other, "id,name\n" + run + "-x,X\n", "-1 second");
        asAdmin().post(IMPORTS + "/" + other + "/cancel").then().statusCode(200).body(json("status", equalTo("CANCELLED")));
        assertThat(chunks(other)).isZero();
    }

    private void dieUploading(String job, String chunk, String leaseLeft) {
        UUID id = UUID.fromString(job);
        pool.preparedQuery("INSERT INTO import_chunk (job_id, seq, first_line, body) VALUES ($1, 0, 2, $2)"
                + " ON CONFLICT DO NOTHING").execute(Tuple.of(id, Buffer.buffer(chunk))).await().indefinitely();
        pool.preparedQuery("UPDATE import_job SET status = 'UPLOADING', owner = 'dead',"
                + " lease_until = now() + CAST(CAST($2 AS text) AS interval) WHERE id = $1")
                .execute(Tuple.of(id, leaseLeft)).await().indefinitely();
    }

    private long chunks(String job) {
        return pool.preparedQuery("SELECT count(*) FROM import_chunk WHERE job_id = $1")
                .execute(Tuple.of(UUID.fromString(job))).await().indefinitely().iterator().next().getLong(0);
    }

    private static String define(Map<String, Object> definition) {
        return asAdmin().contentType(ContentType.JSON).body(definition).post(IMPORTS).then().statusCode(201)
                .body(json("status", equalTo("AWAITING_FILE"))).extract().as(Json.class).get("id");
    }

    private static io.restassured.response.Response upload(String job, String type, String body) {
        return asAdmin().contentType(type + "; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .put(IMPORTS + "/" + job + "/file");
    }

    private static Json awaitFinished(String job) {
        return DataJobs.awaitFinished(IMPORTS + "/" + job);
    }

    private static Json customer(String externalId) {
        return asAdmin().get("/api/v1/customers-by-external-id/" + externalId).then().statusCode(200).extract()
                .as(Json.class);
    }

    private static String tag() {
        String key = "imp-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", key)).post("/api/v1/tags").then()
                .statusCode(201);
        return key;
    }

    private static Map<String, String> columns(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static org.hamcrest.Matcher<String> containsText(String text) {
        return org.hamcrest.Matchers.containsString(text);
    }
}
