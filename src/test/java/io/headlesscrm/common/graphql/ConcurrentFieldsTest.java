package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import graphql.language.Document;
import graphql.language.ObjectTypeDefinition;
import graphql.parser.Parser;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * graphql-java resolves the fields of a query concurrently: the root fields, and the same field of every item of a
 * list. Each pair of root fields in one operation, and each list with its nested connections beside another root
 * field, must answer as they do alone: one Hibernate Reactive session shared by two fetchers answered "System
 * error" for both.
 */
@QuarkusTest
class ConcurrentFieldsTest {

    private static String customerId;
    private static String tagKey;
    private static String touchpointId;

    /** One selection per root query field; a field the schema gains without one here fails the first test. */
    private static Map<String, String> roots() {
        String absent = UUID.randomUUID().toString();
        Map<String, String> roots = new LinkedHashMap<>();
        roots.put("campaign", "campaign(id: \"" + absent + "\") { id }");
        roots.put("campaigns", "campaigns(first: 2) { edges { node { id } } }");
        roots.put("customer", "customer(id: \"" + customerId + "\") { id tags { key } }");
        roots.put("customers", "customers(first: 2) { edges { node { id } } }");
        roots.put("lead", "lead(id: \"" + absent + "\") { id }");
        roots.put("leads", "leads(first: 2) { edges { node { id } } }");
        roots.put("myLeads", "myLeads(first: 2) { edges { node { id } } }");
        roots.put("node", "node(id: \"" + touchpointId + "\") { id }");
        roots.put("nodes", "nodes(ids: [\"" + customerId + "\", \"" + touchpointId + "\"]) { id }");
        roots.put("segment", "segment(id: \"" + absent + "\") { id }");
        roots.put("segments", "segments(first: 2) { edges { node { id } } }");
        roots.put("tag", "tag(key: \"" + tagKey + "\") { id customerCount }");
        roots.put("tagJob", "tagJob(id: \"" + absent + "\") { id }");
        roots.put("tags", "tags(first: 2) { edges { node { id } } }");
        roots.put("touchpoint", "touchpoint(id: \"" + touchpointId + "\") { id history { status } }");
        roots.put("touchpoints", "touchpoints(first: 2) { edges { node { id } } }");
        return roots;
    }

    @BeforeEach
    void data() {
        if (customerId != null) {
            return;
        }
        customerId = Fixtures.customer(null, "pairs-" + UUID.randomUUID() + "@example.com");
        tagKey = "pairs-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tagKey, "name", "Pairs")).post("/api/v1/tags")
                .then().statusCode(201);
        asAdmin().contentType(ContentType.JSON).body("{}").put("/api/v1/customers/" + customerId + "/tags/" + tagKey)
                .then().statusCode(201);
        touchpointId = asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customerId, "channel", "EMAIL",
                "content", Map.of("body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    /** Root fields whose selection above names no object (an unknown id): their answer is null. */
    private static final Set<String> ABSENT = Set.of("campaign", "lead", "segment", "tagJob");

    /**
     * What is wrong with an operation's answer: its errors (messages with their paths), and each of the aliases
     * {@code present} whose data is null though it names something that exists. None expected.
     */
    static List<String> problems(String query, String... present) {
        Json answer = asAdmin().contentType(ContentType.JSON).body(Map.of("query", query)).post("/graphql")
                .then().statusCode(200).extract().as(Json.class);
        List<Map<String, Object>> errors = answer.getList("errors");
        List<String> problems = new ArrayList<>();
        if (errors != null) {
            errors.forEach(e -> problems.add(e.get("path") + ": " + e.get("message")));
        }
        for (String alias : present) {
            if (answer.get("data." + alias) == null) {
                problems.add(alias + ": no data");
            }
        }
        return problems;
    }

    @Test
    void everyRootQueryFieldHasASelectionHere() throws IOException {
        Document schema = Parser.parse(Files.readString(Path.of("graphql/schema.graphql")));
        TreeSet<String> fields = new TreeSet<>();
        schema.getDefinitionsOfType(ObjectTypeDefinition.class).stream().filter(t -> t.getName().equals("Query"))
                .forEach(t -> t.getFieldDefinitions().forEach(f -> fields.add(f.getName())));
        assertEquals(fields, new TreeSet<>(roots().keySet()));
    }

    @Test
    void everyPairOfRootFieldsAnswersInOneOperation() {
        List<String> names = new ArrayList<>(roots().keySet());
        Map<String, String> roots = roots();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i; j < names.size(); j++) { // j == i: two aliases of one field
                String query = "{ a: " + roots.get(names.get(i)) + " b: " + roots.get(names.get(j)) + " }";
                List<String> errors = problems(query, Stream.of(ABSENT.contains(names.get(i)) ? null : "a",
                        ABSENT.contains(names.get(j)) ? null : "b").filter(Objects::nonNull).toArray(String[]::new));
                if (!errors.isEmpty()) {
                    failures.add(names.get(i) + " + " + names.get(j) + " -> " + errors);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void eachListWithItsNestedConnectionsBesideAnotherRootField() {
        List<String> lists = List.of(
                "customers(first: 5) { edges { node { id tags { key } touchpoints(first: 3) { edges { node { id } } }"
                        + " segments { key } events(first: 3) { edges { node { id } } } } } }",
                "touchpoints(first: 5) { edges { node { id customerId history { status } } } }",
                "tags(first: 5) { edges { node { id customerCount } } }",
                "segments(first: 5) { edges { node { id key counts { from buckets { __typename } } } } }",
                "campaigns(first: 5) { edges { node { id name } } }",
                "leads(first: 5) { edges { node { id customer { id name } } } }");
        List<String> failures = new ArrayList<>();
        for (String list : lists) {
            for (String other : List.of("tags(first: 1) { edges { node { id } } }",
                    "customer(id: \"" + customerId + "\") { id touchpoints(first: 1) { edges { node { id } } } }")) {
                List<String> errors = problems("{ a: " + list + " b: " + other + " }", "a", "b");
                if (!errors.isEmpty()) {
                    failures.add(list + " beside " + other + " -> " + errors);
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
