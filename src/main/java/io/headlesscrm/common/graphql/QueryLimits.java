package io.headlesscrm.common.graphql;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import graphql.GraphQL;
import graphql.analysis.FieldComplexityEnvironment;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.language.Field;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.graphql.spi.config.Config;

/**
 * The depth and complexity limits of GraphQL operations ({@link GraphQLLimitsConfig}), which protect data, not
 * the schema: introspection ({@code __schema}, {@code __type} and everything under them) counts for neither, so
 * the standard introspection query of graphql-js (15 levels deep), which code generators, GraphiQL and Postman
 * send, is answered. SmallRye's own limits (quarkus.smallrye-graphql.instrumentation-query-*) count every field;
 * they must stay unset, and ours go in front of the instrumentation SmallRye built (its query cache), which the
 * GraphQL builder only lets us replace, not extend. Installed by {@link GraphQLBuild}.
 */
public final class QueryLimits {

    private static final Set<String> INTROSPECTION = Set.of("__schema", "__type");

    private QueryLimits() {
    }

    /**
     * At start-up, not at the first request (SmallRye builds its GraphQL then): refuses SmallRye's own limits, and
     * injects the mapping, without which Quarkus would not register it for {@link #install} to read.
     */
    @Singleton
    static class StartupCheck {
        void check(@Observes StartupEvent event, GraphQLLimitsConfig limits) {
            Config smallRye = Config.get();
            if (smallRye.getQueryDepthInstrumentation().isPresent()
                    || smallRye.getQueryComplexityInstrumentation().isPresent()) {
                throw new IllegalStateException("quarkus.smallrye-graphql.instrumentation-query-depth/-complexity "
                        + "count introspection too; set crm.graphql.limits.depth/complexity instead");
            }
        }
    }

    /** The limits, in front of the instrumentation SmallRye put on {@code builder}. */
    static GraphQL.Builder install(GraphQL.Builder builder) {
        GraphQLLimitsConfig limits = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                .getConfigMapping(GraphQLLimitsConfig.class);
        // building once is the only way to read what SmallRye chained (it fills in no more than the defaults
        // that SmallRye's own build would)
        Instrumentation smallRyes = builder.build().getInstrumentation();
        return builder.instrumentation(instrumentation(limits, smallRyes));
    }

    /** The limits, checked in SmallRye's order (complexity, then depth), in front of {@code next}. */
    static Instrumentation instrumentation(GraphQLLimitsConfig limits, Instrumentation next) {
        return new ChainedInstrumentation(List.of(
                new MaxQueryComplexityInstrumentation(limits.complexity(), QueryLimits::complexity),
                new MaxDataDepthInstrumentation(limits.depth()),
                next));
    }

    static boolean isIntrospection(Field field) {
        return INTROSPECTION.contains(field.getName());
    }

    /** graphql-java's default (the field itself and what it selects), nothing for an introspection subtree. */
    private static int complexity(FieldComplexityEnvironment environment, int childComplexity) {
        return isIntrospection(environment.getField()) ? 0 : 1 + childComplexity;
    }
}
