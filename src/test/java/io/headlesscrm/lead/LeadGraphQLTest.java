package io.headlesscrm.lead;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Credentials.asUserWith;
import static io.headlesscrm.testing.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.customer.SqlStatementCounter;
import io.headlesscrm.security.Roles;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Leads over GraphQL: pages with their customers in one statement, a rep's open leads, and the moves. */
@QuarkusTest
class LeadGraphQLTest {

    private static ValidatableResponse graphql(RequestSpecification as, String query, Map<String, Object> variables) {
        return as.contentType(ContentType.JSON).body(Map.of("query", query, "variables", variables)).post("/graphql")
                .then().statusCode(200);
    }

    @Test
    void aPageOf100LeadsWithTheirCustomersAndTracesReadsTheCustomersInOneStatement() {
        String m = LeadTest.marker();
        String viewed = "viewed-" + m;
        LeadTest.declare(viewed, "sku", "STRING");
        String rule = LeadTest.rule(Map.of("key", m, "name", "Any view", "steps", List.of(Map.of("eventType", viewed)),
                "lead", Map.of("type", "any")));
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Lead " + i))
                    .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
            events.add(Map.of("customerId", customer, "type", viewed, "eventId", UUID.randomUUID().toString(),
                    "occurredAt", Instant.now().toString(), "properties", Map.of("sku", "s" + i)));
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("items", events)).post("/api/v1/events").then()
                .statusCode(200).body(json("accepted", equalTo(100)));
        await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin().queryParam("rule", rule).queryParam("limit", 100)
                .get("/api/v1/leads").then().extract().as(Json.class).getList("items").size() == 100);

        String query = "query($r: ID) { leads(first: 100, filter: {ruleId: $r, open: true}) { edges { node { id status"
                + " customer { id name } trace { ruleKey events { eventId type step } } } } pageInfo { hasNextPage } } }";
        try (SqlStatementCounter sql = new SqlStatementCounter()) {
            graphql(asAdmin(), query, Map.of("r", rule)).body(json("errors", nullValue()))
                    .body(json("data.leads.edges", hasSize(100)))
                    .body(json("data.leads.edges[0].node.customer.name", org.hamcrest.Matchers.startsWith("Lead ")))
                    .body(json("data.leads.edges[99].node.trace.ruleKey", equalTo(m)))
                    .body(json("data.leads.edges[5].node.trace.events", hasSize(1)))
                    .body(json("data.leads.pageInfo.hasNextPage", equalTo(false)));
            // background work (a webhook message written meanwhile) may send statements too: count the customer reads
            assertThat(sql.statements().stream().filter(q -> q.contains("from Customer")).count())
                    .as("the customers of 100 leads: %s", sql.statements()).isEqualTo(1);
        }
    }

    @Test
    void aRepSeesTheirOpenLeadsAndMovesThemWithUserErrorsForIllegalMoves() {
        String m = LeadTest.marker();
        String viewed = "viewed-" + m;
        LeadTest.declare(viewed, "sku", "STRING");
        LeadTest.rule(Map.of("key", m, "name", "Any view", "steps", List.of(Map.of("eventType", viewed)),
                "lead", Map.of("type", "any")));
        String customer = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Rep's customer"))
                .post("/api/v1/customers").then().statusCode(201).extract().as(Json.class).get("id");
        LeadTest.event(customer, viewed, Instant.now(), Map.of("sku", "x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> LeadTest.leadCount(customer) == 1);
        String lead = LeadTest.leads(customer).getString("items[0].id");
        String rep = "sub-user-" + Roles.SALES;
        LeadAssignmentTest.team("team-" + m, List.of(LeadAssignmentTest.rep(rep, null, null)));

        graphql(asUserWith(Roles.SALES), "mutation($id: ID!, $s: LeadStatus!) { changeLeadStatus(id: $id, status: $s)"
                + " { lead { id } userErrors { code field message } } }", Map.of("id", lead, "s", "QUALIFIED"))
                .body(json("data.changeLeadStatus.lead", nullValue()))
                .body(json("data.changeLeadStatus.userErrors[0].code", equalTo("illegal-transition")));
        graphql(asUserWith(Roles.SALES), "mutation($id: ID!, $a: String!) { assignLead(id: $id, assignee: $a, note: \"mine\")"
                + " { lead { status assignee } userErrors { code } } }", Map.of("id", lead, "a", rep))
                .body(json("data.assignLead.userErrors", hasSize(0)))
                .body(json("data.assignLead.lead.status", equalTo("ASSIGNED")));
        graphql(asUserWith(Roles.SALES), "{ myLeads(first: 10) { edges { node { id status customer { name } } } } }",
                Map.of()).body(json("errors", nullValue())).body(json("data.myLeads.edges.node.id", org.hamcrest.Matchers.hasItem(lead)))
                .body(json("data.myLeads.edges[0].node.customer.name", equalTo("Rep's customer")));
        graphql(asUserWith(Roles.SALES), "mutation($id: ID!) { changeLeadStatus(id: $id, status: CONTACTED)"
                + " { lead { status version } userErrors { code } } }", Map.of("id", lead))
                .body(json("data.changeLeadStatus.lead.status", equalTo("CONTACTED")));
        graphql(asUserWith(Roles.SALES), "query($id: ID!) { node(id: $id) { ... on Lead { status } } }", Map.of("id", lead))
                .body(json("data.node.status", equalTo("CONTACTED")));
        graphql(asUserWith(Roles.ANALYST), "mutation($id: ID!) { changeLeadStatus(id: $id, status: QUALIFIED)"
                + " { lead { status } userErrors { code } } }", Map.of("id", lead))
                .body(json("errors[0].message", org.hamcrest.Matchers.startsWith("Forbidden")));
    }
}
