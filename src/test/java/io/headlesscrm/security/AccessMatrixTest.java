package io.headlesscrm.security;

import static io.headlesscrm.security.Roles.ADMIN;
import static io.headlesscrm.security.Roles.ANALYST;
import static io.headlesscrm.security.Roles.MARKETER;
import static io.headlesscrm.security.Roles.PARTNER;
import static io.headlesscrm.security.Roles.SALES;
import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.headlesscrm.testing.Json;
import io.headlesscrm.testing.Waits;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The endpoint × role matrix, REST and GraphQL, generated from one table. Every operation the service
 * exposes must have a row here ({@link #everyRestOperationHasARow}, {@link #everyGraphQLOperationHasARow}), so
 * a new endpoint without a rule fails this test. The matrix in docs/identity-and-access.md is this table.
 */
@QuarkusTest
class AccessMatrixTest {

    private static final Set<String> READERS = Set.of(ADMIN, MARKETER, SALES, ANALYST);
    private static final Set<String> CREATORS = Set.of(ADMIN, MARKETER, PARTNER);
    private static final Set<String> UPDATERS = Set.of(ADMIN, MARKETER, SALES);
    private static final Set<String> DELETERS = Set.of(ADMIN, MARKETER);
    private static final Set<String> ADMINS = Set.of(ADMIN);
    private static final Set<String> TAG_MANAGERS = Set.of(ADMIN, MARKETER);
    private static final Set<String> TAGGERS = Set.of(ADMIN, MARKETER, SALES);
    private static final Set<String> REACHERS = Set.of(ADMIN, MARKETER, SALES);
    private static final Set<String> REPORTERS = Set.of(ADMIN, PARTNER);
    private static final Set<String> EVENT_WRITERS = Set.of(ADMIN, MARKETER, PARTNER);
    private static final Set<String> IMPORTERS = Set.of(ADMIN, MARKETER);
    private static final Set<String> EXPORTERS = Set.of(ADMIN, MARKETER, ANALYST);
    private static final Set<String> LEAD_WORKERS = Set.of(ADMIN, SALES);
    private static final Set<String> LEAD_REPORTERS = Set.of(ADMIN, SALES, PARTNER);
    /** A role Keycloak may send that this service does not know: authenticated, allowed nothing but /me. */
    private static final String UNKNOWN_ROLE = "crm-superuser";
    private static final String ANONYMOUS = "(anonymous)";

    /**
     * An export of nobody, written, made once for the class: downloading it changes nothing, and waiting for the
     * worker (one job a poll, behind the exports the matrix queues) for every caller cost about 20 s.
     */
    private static String finishedExport;

    /** One operation: who may call it and how to call it (graphqlField: the operation's field, for GraphQL). */
    record Op(String name, Set<String> allowed, Function<RequestSpecification, Response> call, String graphqlField) {
    }

    private static final List<Op> OPERATIONS = List.of(
            rest("GET /api/v1/customers", READERS, r -> r.get("/api/v1/customers?limit=1")),
            rest("GET /api/v1/customers/{id}", READERS, r -> r.get("/api/v1/customers/" + newCustomer())),
            rest("POST /api/v1/customers", CREATORS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("name", "Matrix")).post("/api/v1/customers")),
            rest("PATCH /api/v1/customers/{id}", UPDATERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "Patched")).patch("/api/v1/customers/" + newCustomer())),
            rest("DELETE /api/v1/customers/{id}", DELETERS, r -> r.delete("/api/v1/customers/" + newCustomer())),
            rest("PUT /api/v1/customers-by-external-id/{externalId}", CREATORS,
                    r -> r.contentType(ContentType.JSON).body(Map.of("name", "Upserted"))
                            .put("/api/v1/customers-by-external-id/m-" + UUID.randomUUID())),
            rest("GET /api/v1/customers-by-external-id/{externalId}", READERS,
                    r -> r.get("/api/v1/customers-by-external-id/" + newCustomerWithExternalId())),
            rest("POST /api/v1/tags", TAG_MANAGERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("key", "m-" + UUID.randomUUID(), "name", "Matrix")).post("/api/v1/tags")),
            rest("GET /api/v1/tags", READERS, r -> r.get("/api/v1/tags?limit=1")),
            rest("GET /api/v1/tags/{key}", READERS, r -> r.get("/api/v1/tags/" + newTag())),
            rest("PATCH /api/v1/tags/{key}", TAG_MANAGERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "Renamed")).patch("/api/v1/tags/" + newTag())),
            rest("DELETE /api/v1/tags/{key}", TAG_MANAGERS, r -> r.delete("/api/v1/tags/" + newTag())),
            rest("GET /api/v1/customers/{id}/tags", READERS, r -> r.get("/api/v1/customers/" + newCustomer() + "/tags")),
            rest("PUT /api/v1/customers/{id}/tags/{key}", TAGGERS,
                    r -> r.put("/api/v1/customers/" + newCustomer() + "/tags/" + newTag())),
            rest("DELETE /api/v1/customers/{id}/tags/{key}", TAGGERS, r -> {
                String customer = newCustomer();
                String tag = newTag();
                asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
                return r.delete("/api/v1/customers/" + customer + "/tags/" + tag);
            }),
            rest("POST /api/v1/tag-assignments", TAGGERS, r -> r.contentType(ContentType.JSON).body(Map.of(
                    "operation", "ASSIGN", "tags", List.of(newTag()), "customerIds", List.of(newCustomer())))
                    .post("/api/v1/tag-assignments")),
            rest("GET /api/v1/tag-jobs", TAGGERS, r -> r.get("/api/v1/tag-jobs?limit=1")),
            rest("GET /api/v1/tag-jobs/{id}", TAGGERS, r -> r.get("/api/v1/tag-jobs/" + newTagJob())),
            rest("POST /api/v1/tag-jobs/{id}/cancel", TAGGERS, r -> r.post("/api/v1/tag-jobs/" + newTagJob() + "/cancel")),
            rest("POST /api/v1/webhook-endpoints", ADMINS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("url", "http://127.0.0.1:9/m", "eventTypes", List.of("*"), "enabled", false))
                    .post("/api/v1/webhook-endpoints")),
            rest("GET /api/v1/webhook-endpoints", ADMINS, r -> r.get("/api/v1/webhook-endpoints?limit=1")),
            rest("GET /api/v1/webhook-endpoints/{id}", ADMINS, r -> r.get("/api/v1/webhook-endpoints/" + newEndpoint())),
            rest("PATCH /api/v1/webhook-endpoints/{id}", ADMINS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("description", "changed")).patch("/api/v1/webhook-endpoints/" + newEndpoint())),
            rest("DELETE /api/v1/webhook-endpoints/{id}", ADMINS, r -> r.delete("/api/v1/webhook-endpoints/" + newEndpoint())),
            rest("POST /api/v1/webhook-endpoints/{id}/rotate-secret", ADMINS,
                    r -> r.post("/api/v1/webhook-endpoints/" + newEndpoint() + "/rotate-secret")),
            rest("GET /api/v1/webhook-endpoints/{id}/messages", ADMINS,
                    r -> r.get("/api/v1/webhook-endpoints/" + newEndpoint() + "/messages")),
            rest("POST /api/v1/webhook-endpoints/{id}/recover", ADMINS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("since", "2026-01-01T00:00:00Z")).post("/api/v1/webhook-endpoints/" + newEnabledEndpoint() + "/recover")),
            rest("GET /api/v1/webhook-messages/{id}", ADMINS, r -> r.get("/api/v1/webhook-messages/" + newMessage())),
            rest("POST /api/v1/webhook-messages/{id}/resend", ADMINS,
                    r -> r.post("/api/v1/webhook-messages/" + newMessage() + "/resend")),
            rest("POST /api/v1/touchpoints", REACHERS, r -> r.contentType(ContentType.JSON)
                    .body(touchpoint(newCustomer())).post("/api/v1/touchpoints")),
            rest("POST /api/v1/touchpoints/batch", REACHERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("items", List.of(touchpoint(newCustomer())))).post("/api/v1/touchpoints/batch")),
            rest("POST /api/v1/events", EVENT_WRITERS, r -> r.contentType(ContentType.JSON).body(Map.of("items",
                    List.of(Map.of("eventId", UUID.randomUUID().toString(), "type", "view", "customerId", newCustomer(),
                            "occurredAt", java.time.Instant.now().toString())))).post("/api/v1/events")),
            rest("POST /api/v1/events/stream", EVENT_WRITERS, r -> r.contentType("application/x-ndjson").body(("{\"eventId\":"
                    + " \"s\", \"type\": \"view\", \"customerId\": \"" + newCustomer() + "\", \"occurredAt\": \""
                    + java.time.Instant.now() + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post("/api/v1/events/stream")),
            rest("POST /api/v1/properties", DELETERS, r -> r.contentType(ContentType.JSON).body(propertyInput())
                    .post("/api/v1/properties")),
            rest("GET /api/v1/properties", READERS, r -> r.get("/api/v1/properties?limit=1")),
            rest("GET /api/v1/properties/{id}", READERS, r -> r.get("/api/v1/properties/" + newProperty())),
            rest("DELETE /api/v1/properties/{id}", DELETERS, r -> r.delete("/api/v1/properties/" + newProperty())),
            rest("POST /api/v1/segments/preview", READERS, r -> r.contentType(ContentType.JSON).body(Map.of("condition",
                    Map.of("attr", "type", "op", "eq", "value", "ENTERPRISE"))).post("/api/v1/segments/preview")),
            rest("POST /api/v1/segments", DELETERS, r -> r.contentType(ContentType.JSON).body(audienceInput())
                    .post("/api/v1/segments")),
            rest("POST /api/v1/dimensions", DELETERS, r -> r.contentType(ContentType.JSON).body(Map.of("key",
                    "m-" + UUID.randomUUID(), "name", "Matrix", "buckets", List.of(Map.of("key", "a", "name", "A",
                            "condition", Map.of("attr", "type", "op", "eq", "value", "ENTERPRISE")),
                            Map.of("key", "b", "name", "B")))).post("/api/v1/dimensions")),
            rest("GET /api/v1/segments", READERS, r -> r.get("/api/v1/segments?limit=1")),
            rest("GET /api/v1/dimensions", READERS, r -> r.get("/api/v1/dimensions?limit=1")),
            rest("GET /api/v1/segments/{id}", READERS, r -> r.get("/api/v1/segments/" + newSegment())),
            rest("PATCH /api/v1/segments/{id}", DELETERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "changed")).patch("/api/v1/segments/" + newSegment())),
            rest("DELETE /api/v1/segments/{id}", DELETERS, r -> r.delete("/api/v1/segments/" + newSegment())),
            rest("GET /api/v1/segments/{id}/members", READERS, r -> r.get("/api/v1/segments/" + newSegment() + "/members")),
            rest("GET /api/v1/customers/{id}/segments", READERS, r -> r.get("/api/v1/customers/" + newCustomer() + "/segments")),
            rest("GET /api/v1/segments/{id}/counts", READERS, r -> r.get("/api/v1/segments/" + newSegment() + "/counts")),
            rest("POST /api/v1/identify", EVENT_WRITERS, r -> r.contentType(ContentType.JSON).body(Map.of("anonymousId",
                    UUID.randomUUID().toString(), "customerId", newCustomer())).post("/api/v1/identify")),
            rest("GET /api/v1/customers/{id}/events", READERS, r -> r.get("/api/v1/customers/" + newCustomer()
                    + "/events?limit=1")),
            rest("GET /api/v1/touchpoints", READERS, r -> r.get("/api/v1/touchpoints?limit=1")),
            rest("GET /api/v1/touchpoints/{id}", READERS, r -> r.get("/api/v1/touchpoints/" + newTouchpoint())),
            rest("POST /api/v1/touchpoints/{id}/status", REPORTERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("status", "SENT")).post("/api/v1/touchpoints/" + newTouchpoint() + "/status")),
            rest("GET /api/v1/customers/{id}/consents", READERS,
                    r -> r.get("/api/v1/customers/" + newCustomer() + "/consents")),
            rest("PUT /api/v1/customers/{id}/consents/{channel}", UPDATERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("status", "OPTED_OUT")).put("/api/v1/customers/" + newCustomer() + "/consents/SMS")),
            rest("POST /api/v1/api-keys", ADMINS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("name", "matrix", "roles", List.of(ANALYST))).post("/api/v1/api-keys")),
            rest("GET /api/v1/api-keys", ADMINS, r -> r.get("/api/v1/api-keys")),
            rest("GET /api/v1/api-keys/{id}", ADMINS, r -> r.get("/api/v1/api-keys/" + newApiKey())),
            rest("DELETE /api/v1/api-keys/{id}", ADMINS, r -> r.delete("/api/v1/api-keys/" + newApiKey())),
            rest("GET /api/v1/me", Set.of(ADMIN, MARKETER, SALES, ANALYST, PARTNER, UNKNOWN_ROLE), r -> r.get("/api/v1/me")),
            rest("GET /api/v1/audit-log", ADMINS, r -> r.get("/api/v1/audit-log?limit=1")),
            graphql("query customer", READERS, "customer",
                    () -> Map.of("query", "query($id: ID!) { customer(id: $id) { id email } }", "variables",
                            Map.of("id", newCustomer()))),
            graphql("query customers", READERS, "customers",
                    () -> Map.of("query", "{ customers(first: 1) { totalCount edges { node { id email } } } }")),
            graphql("mutation createCustomer", CREATORS, "createCustomer",
                    () -> Map.of("query", "mutation { createCustomer(input: {name: \"Matrix\"}) { customer { id } userErrors { code } } }")),
            graphql("mutation updateCustomer", UPDATERS, "updateCustomer",
                    () -> Map.of("query", "mutation($id: ID!) { updateCustomer(id: $id, input: {name: \"G\"}) { customer { id } userErrors { code } } }",
                            "variables", Map.of("id", newCustomer()))),
            graphql("query touchpoint", READERS, "touchpoint", () -> Map.of("query",
                    "query($id: ID!) { touchpoint(id: $id) { id status } }", "variables", Map.of("id", newTouchpoint()))),
            graphql("mutation createTouchpoint", REACHERS, "createTouchpoint", () -> Map.of("query",
                    "mutation($c: ID!) { createTouchpoint(input: {customerId: $c, channel: EMAIL, content: {body: \"Hi\"}})"
                            + " { touchpoint { id status } userErrors { code } } }",
                    "variables", Map.of("c", newCustomer()))),
            graphql("query tag", READERS, "tag", () -> Map.of("query", "query($k: String!) { tag(key: $k) { key } }",
                    "variables", Map.of("k", newTag()))),
            graphql("mutation changeTags", TAGGERS, "changeTags", () -> Map.of("query",
                    "mutation($ids: [ID], $k: String!) { changeTags(input: {operation: ASSIGN, tags: [$k], customerIds: $ids}) { result { changed } userErrors { code } } }",
                    "variables", Map.of("ids", List.of(newCustomer()), "k", newTag()))),
            graphql("query tagJob", TAGGERS, "tagJob", () -> Map.of("query",
                    "query($id: ID!) { tagJob(id: $id) { id status } }", "variables", Map.of("id", newTagJob().toString()))),
            graphql("query touchpoints", READERS, "touchpoints",
                    () -> Map.of("query", "{ touchpoints(first: 1) { edges { node { id status } } } }")),
            // node and nodes: what the caller gets is what the type's own query would give (here, customers)
            graphql("query node", READERS, "node", () -> Map.of("query",
                    "query($id: ID!) { node(id: $id) { id ... on Customer { email } } }", "variables", Map.of("id", newCustomer()))),
            graphql("query nodes", READERS, "nodes", () -> Map.of("query",
                    "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables", Map.of("ids", List.of(newCustomer())))),
            graphql("query segment", READERS, "segment", () -> Map.of("query", "query($id: ID!) { segment(id: $id) { key } }",
                    "variables", Map.of("id", newSegment()))),
            graphql("query segments", READERS, "segments", () -> Map.of("query", "{ segments(first: 1) { edges { node { key } } } }")),
            graphql("mutation createAudience", DELETERS, "createAudience", () -> Map.of("query",
                    "mutation($k: String!) { createAudience(input: {key: $k, name: \"M\", condition: {attr: \"type\", op: \"eq\", value: \"ENTERPRISE\"}}) { segment { key } userErrors { code } } }",
                    "variables", Map.of("k", "m-" + UUID.randomUUID()))),
            graphql("mutation createDimension", DELETERS, "createDimension", () -> Map.of("query",
                    "mutation($k: String!) { createDimension(input: {key: $k, name: \"M\", buckets: [{key: \"a\", name: \"A\", condition: {attr: \"type\", op: \"eq\", value: \"ENTERPRISE\"}}, {key: \"b\", name: \"B\"}]}) { segment { key } userErrors { code } } }",
                    "variables", Map.of("k", "m-" + UUID.randomUUID()))),
            graphql("mutation updateSegment", DELETERS, "updateSegment", () -> Map.of("query",
                    "mutation($id: ID!) { updateSegment(id: $id, input: {name: \"N\"}) { segment { key } userErrors { code } } }",
                    "variables", Map.of("id", newSegment()))),
            graphql("mutation deleteSegment", DELETERS, "deleteSegment", () -> Map.of("query",
                    "mutation($id: ID!) { deleteSegment(id: $id) { id userErrors { code } } }",
                    "variables", Map.of("id", newSegment()))),
            rest("POST /api/v1/campaigns", DELETERS, r -> r.contentType(ContentType.JSON).body(campaignInput(null))
                    .post("/api/v1/campaigns")),
            rest("GET /api/v1/campaigns", READERS, r -> r.get("/api/v1/campaigns?limit=1")),
            rest("GET /api/v1/campaigns/{id}", READERS, r -> r.get("/api/v1/campaigns/" + newCampaign())),
            rest("PATCH /api/v1/campaigns/{id}", DELETERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "changed")).patch("/api/v1/campaigns/" + newCampaign())),
            rest("DELETE /api/v1/campaigns/{id}", DELETERS, r -> r.delete("/api/v1/campaigns/" + newCampaign())),
            rest("POST /api/v1/campaigns/{id}/dry-run", DELETERS, r -> r.post("/api/v1/campaigns/" + newCampaign() + "/dry-run")),
            rest("POST /api/v1/campaigns/{id}/schedule", DELETERS, r -> r.post("/api/v1/campaigns/" + newCampaign()
                    + "/schedule")),
            rest("POST /api/v1/campaigns/{id}/pause", DELETERS, r -> r.post("/api/v1/campaigns/" + scheduledCampaign()
                    + "/pause")),
            rest("POST /api/v1/campaigns/{id}/resume", DELETERS, r -> r.post("/api/v1/campaigns/" + pausedCampaign()
                    + "/resume")),
            rest("POST /api/v1/campaigns/{id}/cancel", DELETERS, r -> r.post("/api/v1/campaigns/" + newCampaign() + "/cancel")),
            rest("GET /api/v1/campaigns/{id}/report", READERS, r -> r.get("/api/v1/campaigns/" + ranCampaign()[0] + "/report")),
            rest("POST /api/v1/campaigns/{id}/report/recompute", DELETERS, r -> r.post("/api/v1/campaigns/"
                    + ranCampaign()[0] + "/report/recompute")),
            rest("GET /api/v1/campaigns/{id}/runs", READERS, r -> r.get("/api/v1/campaigns/" + ranCampaign()[0] + "/runs")),
            rest("GET /api/v1/campaigns/{id}/runs/{runId}", READERS, r -> r.get("/api/v1/campaigns/" + ranCampaign()[0]
                    + "/runs/" + ranCampaign()[1])),
            rest("GET /api/v1/campaigns/{id}/runs/{runId}/recipients/{customerId}", READERS, r -> r.get(
                    "/api/v1/campaigns/" + ranCampaign()[0] + "/runs/" + ranCampaign()[1] + "/recipients/" + newCustomer())),
            rest("POST /api/v1/imports", IMPORTERS, r -> r.contentType(ContentType.JSON).body(importInput())
                    .post("/api/v1/imports")),
            rest("GET /api/v1/imports", IMPORTERS, r -> r.get("/api/v1/imports?limit=1")),
            rest("GET /api/v1/imports/{id}", IMPORTERS, r -> r.get("/api/v1/imports/" + newImport())),
            rest("PUT /api/v1/imports/{id}/file", IMPORTERS, r -> r.contentType("text/csv").body("id,name\n")
                    .put("/api/v1/imports/" + newImport() + "/file")),
            rest("POST /api/v1/imports/{id}/cancel", IMPORTERS, r -> r.post("/api/v1/imports/" + newImport() + "/cancel")),
            rest("GET /api/v1/imports/{id}/errors", IMPORTERS, r -> r.get("/api/v1/imports/" + newImport() + "/errors")),
            rest("POST /api/v1/exports", EXPORTERS, r -> r.contentType(ContentType.JSON).body(Map.of("format", "CSV",
                    "filter", Map.of("externalId", "none-" + UUID.randomUUID()))).post("/api/v1/exports")),
            rest("GET /api/v1/exports", EXPORTERS, r -> r.get("/api/v1/exports?limit=1")),
            rest("GET /api/v1/exports/{id}", EXPORTERS, r -> r.get("/api/v1/exports/" + newExport())),
            rest("GET /api/v1/exports/{id}/file", EXPORTERS, r -> r.get("/api/v1/exports/" + finishedExport + "/file")),
            rest("POST /api/v1/exports/{id}/cancel", EXPORTERS, r -> r.post("/api/v1/exports/" + runningExport()
                    + "/cancel")),
            rest("GET /api/v1/customer-duplicates", DELETERS, r -> r.get("/api/v1/customer-duplicates?limit=1")),
            rest("POST /api/v1/customers/{id}/merge", DELETERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("mergeId", newCustomer())).post("/api/v1/customers/" + newCustomer() + "/merge")),
            rest("GET /api/v1/customers/{id}/export", ADMINS, r -> r.get("/api/v1/customers/" + newCustomer() + "/export")),
            // no contact data: erasing it suppresses nothing other rows create
            rest("POST /api/v1/customers/{id}/erase", ADMINS, r -> r.post("/api/v1/customers/" + asAdmin()
                    .contentType(ContentType.JSON).body(Map.of("name", "Erasable")).post("/api/v1/customers").then()
                    .statusCode(201).extract().as(Json.class).get("id") + "/erase")),
            rest("POST /api/v1/suppressions/check", ADMINS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("email", "nobody@example.com")).post("/api/v1/suppressions/check")),
            rest("POST /api/v1/suppressions/lift", ADMINS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("email", "nobody@example.com")).post("/api/v1/suppressions/lift")),
            rest("POST /api/v1/lead-rules", DELETERS, r -> r.contentType(ContentType.JSON).body(leadRuleInput(false))
                    .post("/api/v1/lead-rules")),
            rest("GET /api/v1/lead-rules", READERS, r -> r.get("/api/v1/lead-rules?limit=1")),
            rest("GET /api/v1/lead-rules/{id}", READERS, r -> r.get("/api/v1/lead-rules/" + newLeadRule())),
            rest("GET /api/v1/lead-rules/{id}/stats", READERS, r -> r.get("/api/v1/lead-rules/" + newLeadRule() + "/stats")),
            rest("PATCH /api/v1/lead-rules/{id}", DELETERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "changed")).patch("/api/v1/lead-rules/" + newLeadRule())),
            rest("DELETE /api/v1/lead-rules/{id}", DELETERS, r -> r.delete("/api/v1/lead-rules/" + newLeadRule())),
            rest("POST /api/v1/sales-teams", DELETERS, r -> r.contentType(ContentType.JSON).body(Map.of("key",
                    "m-" + UUID.randomUUID(), "name", "Matrix", "reps", List.of())).post("/api/v1/sales-teams")),
            rest("GET /api/v1/sales-teams", READERS, r -> r.get("/api/v1/sales-teams?limit=1")),
            rest("GET /api/v1/sales-teams/{id}", READERS, r -> r.get("/api/v1/sales-teams/" + newTeam())),
            rest("PATCH /api/v1/sales-teams/{id}", DELETERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "changed")).patch("/api/v1/sales-teams/" + newTeam())),
            rest("DELETE /api/v1/sales-teams/{id}", DELETERS, r -> r.delete("/api/v1/sales-teams/" + newTeam())),
            rest("POST /api/v1/lead-assignment-rules", DELETERS, r -> r.contentType(ContentType.JSON)
                    .body(assignmentRuleInput()).post("/api/v1/lead-assignment-rules")),
            rest("GET /api/v1/lead-assignment-rules", READERS, r -> r.get("/api/v1/lead-assignment-rules?limit=1")),
            rest("GET /api/v1/lead-assignment-rules/{id}", READERS, r -> r.get("/api/v1/lead-assignment-rules/"
                    + newAssignmentRule())),
            rest("PATCH /api/v1/lead-assignment-rules/{id}", DELETERS, r -> r.contentType("application/merge-patch+json")
                    .body(Map.of("name", "changed")).patch("/api/v1/lead-assignment-rules/" + newAssignmentRule())),
            rest("DELETE /api/v1/lead-assignment-rules/{id}", DELETERS, r -> r.delete("/api/v1/lead-assignment-rules/"
                    + newAssignmentRule())),
            rest("GET /api/v1/leads", READERS, r -> r.get("/api/v1/leads?limit=1")),
            rest("GET /api/v1/leads/{id}", READERS, r -> r.get("/api/v1/leads/" + newLead())),
            rest("GET /api/v1/leads/{id}/history", READERS, r -> r.get("/api/v1/leads/" + newLead() + "/history")),
            rest("POST /api/v1/leads/{id}/assign", LEAD_WORKERS, r -> r.contentType(ContentType.JSON)
                    .body(Map.of("assignee", "rep-matrix")).post("/api/v1/leads/" + newLead() + "/assign")),
            rest("POST /api/v1/leads/{id}/status", LEAD_REPORTERS, r -> {
                String lead = newLead();
                asAdmin().contentType(ContentType.JSON).body(Map.of("assignee", "rep-matrix"))
                        .post("/api/v1/leads/" + lead + "/assign").then().statusCode(200);
                return r.contentType(ContentType.JSON).body(Map.of("status", "CONTACTED"))
                        .post("/api/v1/leads/" + lead + "/status");
            }),
            graphql("query leads", READERS, "leads", () -> Map.of("query", "{ leads(first: 1) { edges { node { id } } } }")),
            graphql("query myLeads", READERS, "myLeads", () -> Map.of("query", "{ myLeads(first: 1) { edges { node { id } } } }")),
            graphql("query lead", READERS, "lead", () -> Map.of("query", "query($id: ID!) { lead(id: $id) { status } }",
                    "variables", Map.of("id", newLead()))),
            graphql("mutation assignLead", LEAD_WORKERS, "assignLead", () -> Map.of("query",
                    "mutation($id: ID!) { assignLead(id: $id, assignee: \"rep-matrix\") { lead { status } userErrors { code } } }",
                    "variables", Map.of("id", newLead()))),
            graphql("mutation changeLeadStatus", LEAD_REPORTERS, "changeLeadStatus", () -> {
                String lead = newLead();
                asAdmin().contentType(ContentType.JSON).body(Map.of("assignee", "rep-matrix"))
                        .post("/api/v1/leads/" + lead + "/assign").then().statusCode(200);
                return Map.of("query", "mutation($id: ID!) { changeLeadStatus(id: $id, status: CONTACTED) { lead { status }"
                        + " userErrors { code } } }", "variables", Map.of("id", lead));
            }),
            graphql("query campaign", READERS, "campaign", () -> Map.of("query",
                    "query($id: ID!) { campaign(id: $id) { name } }", "variables", Map.of("id", newCampaign()))),
            graphql("query campaigns", READERS, "campaigns", () -> Map.of("query",
                    "{ campaigns(first: 1) { edges { node { name } } } }")),
            graphql("mutation createCampaign", DELETERS, "createCampaign", () -> Map.of("query",
                    "mutation($d: JSON!) { createCampaign(input: {definition: $d}) { campaign { id } userErrors { code } } }",
                    "variables", Map.of("d", campaignInput(null)))),
            graphql("mutation updateCampaign", DELETERS, "updateCampaign", () -> Map.of("query",
                    "mutation($id: ID!) { updateCampaign(id: $id, input: {patch: {name: \"N\"}}) { campaign { id } userErrors { code } } }",
                    "variables", Map.of("id", newCampaign()))),
            campaignMutation("scheduleCampaign", AccessMatrixTest::newCampaign),
            campaignMutation("pauseCampaign", AccessMatrixTest::scheduledCampaign),
            campaignMutation("resumeCampaign", AccessMatrixTest::pausedCampaign),
            campaignMutation("cancelCampaign", AccessMatrixTest::newCampaign),
            graphql("mutation deleteCampaign", DELETERS, "deleteCampaign", () -> Map.of("query",
                    "mutation($id: ID!) { deleteCampaign(id: $id) { id userErrors { code } } }",
                    "variables", Map.of("id", newCampaign()))),
            graphql("mutation dryRunCampaign", DELETERS, "dryRunCampaign", () -> Map.of("query",
                    "mutation($id: ID!) { dryRunCampaign(id: $id) { dryRun { audience } userErrors { code } } }",
                    "variables", Map.of("id", newCampaign()))),
            graphql("query tags", READERS, "tags", () -> Map.of("query", "{ tags(first: 1) { edges { node { key } } } }")),
            graphql("mutation createTag", TAG_MANAGERS, "createTag", () -> Map.of("query",
                    "mutation($k: String!) { createTag(input: {key: $k, name: \"M\"}) { tag { key } userErrors { code } } }",
                    "variables", Map.of("k", "m-" + UUID.randomUUID()))),
            graphql("mutation updateTag", TAG_MANAGERS, "updateTag", () -> Map.of("query",
                    "mutation($k: String!) { updateTag(key: $k, input: {name: \"N\"}) { tag { key } userErrors { code } } }",
                    "variables", Map.of("k", newTag()))),
            graphql("mutation deleteTag", TAG_MANAGERS, "deleteTag", () -> Map.of("query",
                    "mutation($k: String!) { deleteTag(key: $k) { key userErrors { code } } }", "variables", Map.of("k", newTag()))),
            graphql("mutation assignTag", TAGGERS, "assignTag", () -> Map.of("query",
                    "mutation($c: ID!, $k: String!) { assignTag(customerId: $c, key: $k) { customerTag { key } userErrors { code } } }",
                    "variables", Map.of("c", newCustomer(), "k", newTag()))),
            graphql("mutation removeTag", TAGGERS, "removeTag", () -> {
                String customer = newCustomer();
                String tag = newTag();
                asAdmin().put("/api/v1/customers/" + customer + "/tags/" + tag).then().statusCode(201);
                return Map.of("query", "mutation($c: ID!, $k: String!) { removeTag(customerId: $c, key: $k) { key userErrors { code } } }",
                        "variables", Map.of("c", customer, "k", tag));
            }),
            graphql("mutation deleteCustomer", DELETERS, "deleteCustomer",
                    () -> Map.of("query", "mutation($id: ID!) { deleteCustomer(id: $id) { deletedId userErrors { code } } }",
                            "variables", Map.of("id", newCustomer()))));

    @TestFactory
    Stream<DynamicTest> everyRoleGetsWhatTheTableSays() {
        List<String> callers = new ArrayList<>(Roles.ALL);
        callers.add(UNKNOWN_ROLE);
        callers.add(ANONYMOUS);
        return OPERATIONS.stream().flatMap(op -> callers.stream().map(caller -> DynamicTest.dynamicTest(
                op.name() + " as " + caller, () -> check(op, caller))));
    }

    private static void check(Op op, String caller) {
        RequestSpecification spec = ANONYMOUS.equals(caller) ? given() : asUserWith(caller);
        Response response = op.call().apply(spec);
        if (ANONYMOUS.equals(caller)) {
            response.then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", notNullValue())
                    .body(json("type", equalTo("https://headless-crm.dev/problems/unauthorized")));
        } else if (op.graphqlField() != null) {
            Json body = response.then().statusCode(200).extract().as(Json.class);
            if (op.allowed().contains(caller)) {
                assertThat(body.getList("errors")).as("%s as %s", op.name(), caller).isNull();
                Object data = body.get("data." + op.graphqlField());
                assertThat(data).as("%s as %s", op.name(), caller).isNotNull();
                if (data instanceof List<?> list) {
                    assertThat(list).as("%s as %s", op.name(), caller).doesNotContainNull();
                }
            } else {
                assertThat(body.getString("errors[0].message")).as("%s as %s", op.name(), caller)
                        .startsWith("Forbidden: your roles do not allow");
                assertThat(body.getMap("data")).as("data of a refused %s", op.name()).satisfiesAnyOf(
                        data -> assertThat(data).isNull(), data -> assertThat(data.get(op.graphqlField())).isNull(),
                        // nodes: a place per id asked, each empty
                        data -> assertThat((List<?>) data.get(op.graphqlField())).containsOnlyNulls());
            }
        } else if (op.allowed().contains(caller)) {
            assertThat(response.statusCode()).as("%s as %s: %s", op.name(), caller, response.asString())
                    .isBetween(200, 299);
        } else {
            response.then().statusCode(403).contentType("application/problem+json")
                    .body(json("type", equalTo("https://headless-crm.dev/problems/forbidden")));
        }
    }

    @Test
    void refusedWritesChangeNothing() {
        String id = newCustomer();
        asUserWith(ANALYST).contentType("application/merge-patch+json").body(Map.of("name", "Nope"))
                .patch("/api/v1/customers/" + id).then().statusCode(403);
        asUserWith(SALES).delete("/api/v1/customers/" + id).then().statusCode(403);
        asAdmin().get("/api/v1/customers/" + id).then().statusCode(200).body(json("name", equalTo("Matrix")))
                .body(json("version", equalTo(0)));
        String ext = "refused-" + UUID.randomUUID();
        asUserWith(SALES).contentType(ContentType.JSON).body(Map.of("name", "Nope", "externalId", ext))
                .post("/api/v1/customers").then().statusCode(403);
        asUserWith(ANALYST).contentType(ContentType.JSON).body(Map.of("name", "Nope"))
                .put("/api/v1/customers-by-external-id/" + ext).then().statusCode(403);
        assertNoCustomerWithExternalId(ext);
        asAdmin().get("/api/v1/audit-log?entity=customer&entityId=" + id).then().statusCode(200)
                .body(json("items.action", equalTo(List.of("create"))));
    }

    @Test
    void everyRestOperationHasARow() {
        Map<String, Object> paths = given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().as(Json.class).getMap("paths");
        Set<String> served = new TreeSet<>();
        paths.forEach((path, methods) -> ((Map<?, ?>) methods).keySet().forEach(
                method -> served.add(method.toString().toUpperCase() + " " + path)));
        assertThat(served).as("REST operations; add a row to OPERATIONS for a new one")
                .isEqualTo(names(op -> op.graphqlField() == null));
    }

    @Test
    void everyGraphQLOperationHasARow() {
        Set<String> served = new TreeSet<>();
        // one root type per request: graphql-java refuses introspection that asks for __Type.fields twice
        for (String root : List.of("Query", "Mutation")) {
            asAdmin().contentType(ContentType.JSON)
                    .body(Map.of("query", "{ __type(name: \"" + root + "\") { fields { name } } }"))
                    .post("/graphql").then().statusCode(200).body(json("errors", nullValue()))
                    .extract().as(Json.class).getList("data.__type.fields.name", String.class)
                    .forEach(n -> served.add(root.toLowerCase() + " " + n));
        }
        assertThat(served).as("GraphQL operations; add a row to OPERATIONS for a new one")
                .isEqualTo(names(op -> op.graphqlField() != null));
    }

    private static Set<String> names(java.util.function.Predicate<Op> which) {
        Set<String> names = new TreeSet<>();
        OPERATIONS.stream().filter(which).forEach(op -> names.add(op.name()));
        return names;
    }

    private static Op rest(String name, Set<String> allowed, Function<RequestSpecification, Response> call) {
        return new Op(name, allowed, call, null);
    }

    private static Op graphql(String name, Set<String> allowed, String field,
            java.util.function.Supplier<Map<String, Object>> request) {
        return new Op(name, allowed, r -> r.contentType(ContentType.JSON).body(request.get()).post("/graphql"), field);
    }

    private static Map<String, Object> propertyInput() {
        return Map.of("scope", "CUSTOMER", "name", "m" + UUID.randomUUID().toString().replace("-", ""), "type", "STRING");
    }

    private static Op campaignMutation(String field, java.util.function.Supplier<String> campaign) {
        return graphql("mutation " + field, DELETERS, field, () -> Map.of("query", "mutation($id: ID!) { " + field
                + "(id: $id) { campaign { id } userErrors { code } } }", "variables", Map.of("id", campaign.get())));
    }

    private static final String LEAD_EVENT = "matrix-lead-view";
    private static boolean leadRuleActive;

    /** A lead rule on the matrix's own event type; active ones make a lead of every such event. */
    private static Map<String, Object> leadRuleInput(boolean active) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("scope", "EVENT", "eventType", LEAD_EVENT, "name", "sku",
                "type", "STRING")).post("/api/v1/properties"); // 201 once, 409 after
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "matrix", "name", "Matrix", "reps",
                List.of(Map.of("actorId", "rep-matrix")))).post("/api/v1/sales-teams"); // the same
        return Map.of("key", "m-" + UUID.randomUUID(), "name", "Matrix", "active", active,
                "steps", List.of(Map.of("eventType", LEAD_EVENT)), "lead", Map.of("type", "matrix"));
    }

    static String newTeam() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("key", "m-" + UUID.randomUUID(), "name", "Matrix",
                "reps", List.of())).post("/api/v1/sales-teams").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** An assignment rule that takes the leads of a rule that makes none (inactive), so it assigns nothing. */
    private static Map<String, Object> assignmentRuleInput() {
        String team = asAdmin().get("/api/v1/sales-teams/" + newTeam()).then().extract().as(Json.class).get("key");
        String rule = asAdmin().get("/api/v1/lead-rules/" + newLeadRule()).then().extract().as(Json.class).get("key");
        return Map.of("key", "m-" + UUID.randomUUID(), "name", "Matrix", "team", team, "strategy", "ROUND_ROBIN",
                "when", Map.of("rules", List.of(rule)));
    }

    static String newAssignmentRule() {
        return asAdmin().contentType(ContentType.JSON).body(assignmentRuleInput()).post("/api/v1/lead-assignment-rules")
                .then().statusCode(201).extract().as(Json.class).get("id");
    }

    static String newLeadRule() {
        return asAdmin().contentType(ContentType.JSON).body(leadRuleInput(false)).post("/api/v1/lead-rules").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    /** A NEW lead: an event of the matrix's type for a new customer, once the active rule has made its lead. */
    static String newLead() {
        if (!leadRuleActive) {
            asAdmin().contentType(ContentType.JSON).body(leadRuleInput(true)).post("/api/v1/lead-rules").then()
                    .statusCode(201);
            leadRuleActive = true;
        }
        String customer = newCustomer();
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("customerId", customer,
                "type", LEAD_EVENT, "eventId", UUID.randomUUID().toString(), "occurredAt",
                java.time.Instant.now().toString())))).post("/api/v1/events").then().statusCode(200);
        String[] lead = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            List<String> ids = asAdmin().get("/api/v1/leads?customer=" + customer).then().statusCode(200).extract()
                    .as(Json.class).getList("items.id");
            lead[0] = ids.isEmpty() ? null : ids.get(0);
            return lead[0] != null;
        });
        return lead[0];
    }

    private static String campaignTag;
    private static String[] ranCampaign;

    /** A draft campaign definition reaching a tag nobody has; schedule null: at a time a day from now. */
    private static Map<String, Object> campaignInput(Map<String, Object> schedule) {
        if (campaignTag == null) {
            campaignTag = newTag();
        }
        return Map.of("name", "Matrix", "channel", "SMS", "audience", Map.of("include", List.of(Map.of("tag", campaignTag))),
                "variants", List.of(Map.of("key", "only", "content", Map.of("body", "Hi"))),
                "schedule", schedule != null ? schedule
                        : Map.of("type", "AT", "at", java.time.Instant.now().plusSeconds(86400).toString()));
    }

    static String newCampaign() {
        return asAdmin().contentType(ContentType.JSON).body(campaignInput(null)).post("/api/v1/campaigns").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    static String scheduledCampaign() {
        String id = newCampaign();
        asAdmin().post("/api/v1/campaigns/" + id + "/schedule").then().statusCode(200);
        return id;
    }

    static String pausedCampaign() {
        String id = scheduledCampaign();
        asAdmin().post("/api/v1/campaigns/" + id + "/pause").then().statusCode(200);
        return id;
    }

    /** A campaign that has run (to nobody): its id and its run's. */
    static synchronized String[] ranCampaign() {
        if (ranCampaign == null) {
            String id = asAdmin().contentType(ContentType.JSON).body(campaignInput(Map.of("type", "NOW")))
                    .post("/api/v1/campaigns").then().statusCode(201).extract().as(Json.class).get("id");
            asAdmin().post("/api/v1/campaigns/" + id + "/schedule").then().statusCode(200);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "COMPLETED"
                    .equals(asAdmin().get("/api/v1/campaigns/" + id).then().extract().as(Json.class).get("status")));
            String run = asAdmin().get("/api/v1/campaigns/" + id + "/runs").then().statusCode(200).extract()
                    .as(Json.class).get("items[0].id");
            ranCampaign = new String[] { id, run };
        }
        return ranCampaign;
    }

    private static Map<String, Object> audienceInput() {
        return Map.of("key", "m-" + UUID.randomUUID(), "name", "Matrix", "condition",
                Map.of("attr", "type", "op", "eq", "value", "ENTERPRISE"));
    }

    static String newSegment() {
        return asAdmin().contentType(ContentType.JSON).body(audienceInput()).post("/api/v1/segments").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    static String newProperty() {
        return asAdmin().contentType(ContentType.JSON).body(propertyInput()).post("/api/v1/properties").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    static String newCustomer() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Matrix", "email", "m@example.com"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
    }

    static String newCustomerWithExternalId() {
        String ext = "m-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Matrix", "externalId", ext))
                .post("/api/v1/customers").then().statusCode(201);
        return ext;
    }

    static Map<String, Object> importInput() {
        return Map.of("format", "CSV", "matchKey", "EXTERNAL_ID", "mode", "UPSERT", "columns",
                Map.of("id", "externalId", "name", "name"));
    }

    static String newImport() {
        return asAdmin().contentType(ContentType.JSON).body(importInput()).post("/api/v1/imports").then()
                .statusCode(201).extract().as(Json.class).get("id");
    }

    static String newExport() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("format", "CSV", "filter",
                Map.of("externalId", "none-" + UUID.randomUUID()))).post("/api/v1/exports").then().statusCode(202)
                .extract().as(Json.class).get("id");
    }

    /** In a @BeforeEach, not a @BeforeAll: RestAssured only knows the test port once a test runs. */
    @BeforeEach
    void finishedExportOnce() {
        if (finishedExport == null) {
            String id = newExport();
            Waits.eventually().until(() -> "SUCCEEDED".equals(asAdmin().get("/api/v1/exports/" + id).then()
                    .extract().as(Json.class).get("status")));
            finishedExport = id;
        }
    }

    /**
     * An export another instance is running (its lease is current), so it stays cancellable while the test runs: a
     * copy of the finished one, as its worker would have left it midway.
     */
    static String runningExport() {
        UUID id = UUID.randomUUID();
        Arc.container().instance(Pool.class).get().preparedQuery("INSERT INTO export_job (id, format, fields, tags,"
                + " buckets, filter, masked, status, owner, lease_until, actor_type, actor_id, actor_name, client_id,"
                + " request_id, created_at, started_at) SELECT $2, format, fields, tags, buckets, filter, masked,"
                + " 'RUNNING', 'elsewhere', now() + interval '1 hour', actor_type, actor_id, actor_name, client_id,"
                + " request_id, now(), now() FROM export_job WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(finishedExport), id)).await().indefinitely();
        return id.toString();
    }

    static String newTag() {
        String key = "m-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", key, "name", "Matrix")).post("/api/v1/tags")
                .then().statusCode(201);
        return key;
    }

    /** A job another instance is running (its lease is current), so it stays cancellable while the test runs. */
    static UUID newTagJob() {
        UUID id = UUID.randomUUID();
        Arc.container().instance(Pool.class).get().preparedQuery("INSERT INTO tag_job (id, operation, tag_keys, source,"
                + " filter, status, owner, lease_until, actor_type, actor_id, created_at)"
                + " VALUES ($1, 'ASSIGN', '{}', 'MANUAL', '{}', 'RUNNING', 'elsewhere', now() + interval '1 hour',"
                + " 'system', 'system', now())").execute(Tuple.of(id)).await().indefinitely();
        return id;
    }

    /**
     * A disabled endpoint: enabled, every event of the rest of the suite was written and sent (and refused) to each of
     * the matrix's dozens of endpoints, thousands of messages a class.
     */
    static String newEndpoint() {
        return endpoint(false, "*");
    }

    /** Recovering needs an enabled endpoint: one for an event few tests send. */
    static String newEnabledEndpoint() {
        return endpoint(true, "customer.erased");
    }

    private static String endpoint(boolean enabled, String eventType) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/m", "eventTypes", List.of(eventType), "enabled", enabled))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    static Map<String, Object> touchpoint(String customerId) {
        return Map.of("customerId", customerId, "channel", "EMAIL", "content", Map.of("body", "Hello"));
    }

    static String newTouchpoint() {
        return asAdmin().contentType(ContentType.JSON).body(touchpoint(newCustomer())).post("/api/v1/touchpoints")
                .then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** A message already given up on (so no dispatcher sends it while the test runs). */
    static UUID newMessage() {
        UUID id = UUID.randomUUID();
        Arc.container().instance(Pool.class).get().preparedQuery("INSERT INTO webhook_message (id, endpoint_id, event_type,"
                + " body, state, created_at) VALUES ($1, $2, 'touchpoint.created', '{}', 'DEAD', now())")
                .execute(Tuple.of(id, UUID.fromString(newEndpoint()))).await().indefinitely();
        return id;
    }

    static String newApiKey() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "matrix", "roles", List.of(ANALYST))).post("/api/v1/api-keys").then().statusCode(201)
                .extract().as(Json.class).get("id");
    }

    static void assertNoCustomerWithExternalId(String externalId) {
        asAdmin().get("/api/v1/customers?externalId=" + externalId).then().statusCode(200)
                .body(json("items", equalTo(List.of())));
    }
}
