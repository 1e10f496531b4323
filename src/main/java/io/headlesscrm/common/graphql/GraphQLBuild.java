package io.headlesscrm.common.graphql;

import graphql.GraphQL;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.schema.GraphQLSchema;
import io.smallrye.graphql.spi.EventingService;

/**
 * Our changes to the schema and the graphql-java engine SmallRye builds, made just before it builds them: the
 * published schema ({@link PublishedSchema}), the operation limits ({@link QueryLimits}) and how failed fields are
 * reported ({@link FieldErrors}). SmallRye offers no other hook: its CDI events need
 * {@code quarkus.smallrye-graphql.events.enabled}, which also fires an event for every field of every request.
 * Registered in META-INF/services; always on (no configuration key).
 */
public final class GraphQLBuild implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder schema) {
        return PublishedSchema.of(schema);
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder graphql) {
        FieldErrors errors = new FieldErrors();
        // the handler first: QueryLimits builds once to read SmallRye's instrumentation, which fixes the query and
        // mutation strategies with the handler set then; SmallRye gives subscriptions a strategy of their own
        graphql.defaultDataFetcherExceptionHandler(errors).subscriptionExecutionStrategy(new SubscriptionExecutionStrategy(errors));
        return QueryLimits.install(graphql);
    }
}
