package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Thousands of random valid operations built from the committed schema, as an outside fuzzer sends them: none may
 * end in an internal error. Bad values are allowed to be refused (that is a user error); a "System error", an
 * internal error code or a 5xx is a defect. {@code -Dcrm.fuzz.seed=} and {@code -Dcrm.fuzz.operations=} replay or
 * widen a run.
 */
@QuarkusTest
class GeneratedOperationsTest {

    private static final long SEED = Long.getLong("crm.fuzz.seed", 20261207L);
    private static final int OPERATIONS = Integer.getInteger("crm.fuzz.operations", 2500);

    @Test
    void randomValidOperationsNeverEndInAnInternalError() throws IOException {
        String tagKey = "fuzz-" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", tagKey, "name", "Fuzz")).post("/api/v1/tags")
                .then().statusCode(201);
        String customerId = Fixtures.customer("+4915112345678", "fuzz-" + UUID.randomUUID() + "@example.com");
        asAdmin().contentType(ContentType.JSON).body("{}").put("/api/v1/customers/" + customerId + "/tags/" + tagKey)
                .then().statusCode(201);
        String touchpointId = asAdmin().contentType(ContentType.JSON).body(Map.of("customerId", customerId,
                "channel", "EMAIL", "content", Map.of("body", "Hi"))).post("/api/v1/touchpoints").then().statusCode(201)
                .extract().as(Json.class).get("id");
        GraphQLSchema schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(
                new SchemaParser().parse(Files.readString(Path.of("graphql/schema.graphql"))));
        OperationGenerator generator = new OperationGenerator(schema, SEED, List.of(customerId, touchpointId),
                List.of(tagKey, "vip", "email", "name", "country"));

        List<String> failures = new ArrayList<>();
        int invalid = 0;
        for (int i = 0; i < OPERATIONS && failures.size() < 10; i++) {
            String operation = generator.next();
            Response answer = asAdmin().contentType(ContentType.JSON).body(Map.of("query", operation)).post("/graphql");
            String body = answer.asString();
            invalid += body.contains("\"ValidationError\"") ? 1 : 0;
            if (answer.statusCode() >= 500 || body.contains("System error") || body.contains("\"internal-error\"")) {
                failures.add("#" + i + " (seed " + SEED + ") " + operation + "\n  -> " + answer.statusCode() + " " + body);
            }
        }
        assertEquals(List.of(), failures);
        // the generator's own check: what it builds is valid, so the operations reach the fetchers
        assertTrue(invalid < OPERATIONS / 20, invalid + " of " + OPERATIONS + " operations failed validation");
    }
}
