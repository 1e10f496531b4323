package io.headlesscrm.common.graphql;

import static io.headlesscrm.testing.Credentials.asAdmin;
import static io.headlesscrm.testing.Json.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import graphql.introspection.IntrospectionResultToSchema;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * What a front-end toolchain (GraphQL Code Generator, Apollo, Relay, GraphiQL) loads: the committed SDL, the SDL
 * served at /graphql/schema.graphql and the answer to graphql-js's standard introspection query must be one and
 * the same complete schema, the custom scalars declared with the specification each follows.
 */
@QuarkusTest
class PublishedSchemaTest {

    private static final Path COMMITTED = Path.of("graphql/schema.graphql");
    private static final String RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6";
    private static final String RFC_8259 = "https://datatracker.ietf.org/doc/html/rfc8259";
    private static final String NONE = "(none)";

    /**
     * One printing for all three sources, so that a difference is a difference in the schema, not in layout.
     * graphql-java 22 does not read specifiedByURL out of an introspection result, so @specifiedBy is compared
     * apart ({@link #specifiedBy}).
     */
    private static final SchemaPrinter PRINTER = new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
            .includeScalarTypes(true).includeDirectives(name -> !"specifiedBy".equals(name))
            .includeSchemaDefinition(true));

    @Test
    void theCommittedSchemaBuildsAsItStandsWithItsScalarsSpecified() throws IOException {
        // no declarations added: an undeclared scalar fails here as it does in graphql-js buildSchema
        GraphQLSchema schema = build(new SchemaParser().parse(Files.readString(COMMITTED)));

        assertThat(specifiedBy(schema)).isEqualTo(new TreeMap<>(Map.of(
                "BigDecimal", NONE,
                "BigInteger", NONE,
                "Date", RFC_3339,
                "DateTime", RFC_3339,
                "JSON", RFC_8259)));
    }

    @Test
    void theStandardIntrospectionQueryOfGraphqlJsIsAnswered() {
        introspect().body(json("errors", nullValue()))
                .body(json("data.__schema.queryType.name", equalTo("Query")))
                .body(json("data.__schema.types.name", hasItem("Customer")));
    }

    @Test
    void theCommittedTheServedAndTheIntrospectedSchemaAreTheSame() throws IOException {
        GraphQLSchema committed = build(new SchemaParser().parse(Files.readString(COMMITTED)));
        String servedText = given().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        GraphQLSchema served = build(new SchemaParser().parse(servedText));
        Map<String, Object> data = introspect().body(json("errors", nullValue())).extract().as(Json.class).get("data");
        GraphQLSchema introspected = build(new SchemaParser()
                .buildRegistry(new IntrospectionResultToSchema().createSchemaDefinition(data)));

        String expected = PRINTER.print(committed);
        assertThat(PRINTER.print(served)).as("served SDL").isEqualTo(expected);
        assertThat(PRINTER.print(introspected)).as("introspection result").isEqualTo(expected);
        assertThat(specifiedBy(served)).as("@specifiedBy in the served SDL").isEqualTo(specifiedBy(committed));
        assertThat(specifiedByIn(data)).as("specifiedByURL in the introspection result")
                .isEqualTo(specifiedBy(committed));
    }

    /** Our schema nests data 9 levels at most; QueryLimitsTest refuses 11 levels on one that nests without end. */
    @Test
    void dataPastTheComplexityLimitIsStillRefused() {
        // 51 aliases of a connection, 4 fields each: 204 > 200, refused before anything runs
        String fields = IntStream.range(0, 51)
                .mapToObj(i -> "c" + i + ": campaigns(first: 1) { edges { node { id } } }")
                .collect(Collectors.joining(" "));
        graphql("{ " + fields + " }").body(json("errors[0].message", equalTo("maximum query complexity exceeded 204 > 200")))
                .body(json("data", nullValue()));
    }

    private static ValidatableResponse introspect() {
        try (InputStream in = PublishedSchemaTest.class.getResourceAsStream("/graphql/introspection-query.graphql")) {
            return graphql(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse graphql(String query) {
        return asAdmin().contentType("application/json").body(Map.of("query", query)).post("/graphql").then()
                .statusCode(200);
    }

    /** A schema from SDL alone: graphql-java's checks that every type is declared, with mock behaviour. */
    private static GraphQLSchema build(TypeDefinitionRegistry registry) {
        return new SchemaGenerator().makeExecutableSchema(registry, RuntimeWiring.MOCKED_WIRING);
    }

    private static Map<String, String> specifiedBy(GraphQLSchema schema) {
        return schema.getAllTypesAsList().stream()
                .filter(type -> type instanceof GraphQLScalarType)
                .map(GraphQLScalarType.class::cast)
                .filter(scalar -> !ScalarInfo.isGraphqlSpecifiedScalar(scalar))
                .collect(Collectors.toMap(GraphQLScalarType::getName,
                        scalar -> scalar.getSpecifiedByUrl() == null ? NONE : scalar.getSpecifiedByUrl(),
                        (a, b) -> a, TreeMap::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> specifiedByIn(Map<String, Object> introspection) {
        List<Map<String, Object>> types = (List<Map<String, Object>>) ((Map<String, Object>) introspection
                .get("__schema")).get("types");
        return types.stream()
                .filter(type -> "SCALAR".equals(type.get("kind"))
                        && !ScalarInfo.isGraphqlSpecifiedScalar((String) type.get("name")))
                .collect(Collectors.toMap(type -> (String) type.get("name"),
                        type -> type.get("specifiedByURL") == null ? NONE : (String) type.get("specifiedByURL"),
                        (a, b) -> a, TreeMap::new));
    }
}
