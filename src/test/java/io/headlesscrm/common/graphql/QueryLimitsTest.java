package io.headlesscrm.common.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * The limits as the service installs them (10 levels, 200 fields), on a schema that nests without end: our own
 * schema is at most 9 levels deep, so only such a schema can show a data query 11 levels deep being refused.
 */
class QueryLimitsTest {

    private static final GraphQLLimitsConfig LIMITS = new GraphQLLimitsConfig() {
        @Override
        public int depth() {
            return 10;
        }

        @Override
        public int complexity() {
            return 200;
        }
    };

    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(
            new SchemaParser().parse("type Query { item: Item } type Item { child: Item name: String }"),
            RuntimeWiring.MOCKED_WIRING);
    private static final GraphQL OURS = GraphQL.newGraphQL(SCHEMA)
            .instrumentation(QueryLimits.instrumentation(LIMITS, SimplePerformantInstrumentation.INSTANCE)).build();
    /** What SmallRye installed before for quarkus.smallrye-graphql.instrumentation-query-depth/-complexity. */
    private static final GraphQL SMALLRYES = GraphQL.newGraphQL(SCHEMA)
            .instrumentation(new ChainedInstrumentation(List.of(new MaxQueryComplexityInstrumentation(200),
                    new MaxQueryDepthInstrumentation(10))))
            .build();

    /** {@code item { child { … name } } }: levels in all, the last one being name. */
    private static String nested(int levels) {
        return "item { " + children(levels - 1) + " }";
    }

    /** {@code child { child { … name } } }: levels in all. */
    private static String children(int levels) {
        return "child { ".repeat(levels - 1) + "name" + " }".repeat(levels - 1);
    }

    private static String errors(GraphQL graphQL, String query) {
        ExecutionResult result = graphQL.execute(query);
        return result.getErrors().stream().map(GraphQLError::getMessage).reduce((a, b) -> a + "; " + b).orElse("");
    }

    private static String errors(String query) {
        return errors(OURS, query);
    }

    @Test
    void dataIsRefusedExactlyAsSmallRyesLimitsRefusedIt() {
        String fragments = "{ item { ...deep } } fragment deep on Item { child { ... on Item { " + children(9)
                + " } } }";
        for (String query : new String[] { "{ " + nested(10) + " }", "{ " + nested(11) + " }",
                "{ " + nested(12) + " " + aliases(100) + " }", "{ " + aliases(100) + " }",
                "{ x: item { name } " + aliases(100) + " }", fragments }) {
            assertThat(errors(query)).as(query).isEqualTo(errors(SMALLRYES, query));
        }
        assertThat(errors("{ " + nested(10) + " }")).isEmpty();
        assertThat(errors("{ " + nested(11) + " }")).isEqualTo("maximum query depth exceeded 11 > 10");
        assertThat(errors("{ x: item { name } " + aliases(100) + " }"))
                .isEqualTo("maximum query complexity exceeded 202 > 200");
    }

    @Test
    void introspectionCountsForNeitherLimitButTheDataBesideItStillDoes() throws IOException {
        String introspection;
        try (InputStream in = QueryLimitsTest.class.getResourceAsStream("/graphql/introspection-query.graphql")) {
            introspection = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(errors(SMALLRYES, introspection)).isEqualTo("maximum query depth exceeded 15 > 10");
        assertThat(errors(introspection)).isEmpty();
        String deepType = "__type(name: \"Item\") { " + "ofType { ".repeat(12) + "name" + " }".repeat(13);
        assertThat(errors("{ " + deepType + " " + aliases(100) + " }")).isEmpty();
        assertThat(errors("{ " + deepType + " " + nested(11) + " }")).isEqualTo("maximum query depth exceeded 11 > 10");
        assertThat(errors("{ " + deepType + " x: item { name } " + aliases(100) + " }"))
                .isEqualTo("maximum query complexity exceeded 202 > 200");
    }

    /** n aliases of {@code item { name }}: 2n fields. */
    private static String aliases(int n) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < n; i++) {
            query.append("i").append(i).append(": item { name } ");
        }
        return query.toString();
    }
}
