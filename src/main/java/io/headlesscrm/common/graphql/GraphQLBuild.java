package io.headlesscrm.common.graphql;

import graphql.GraphQL;
import io.smallrye.graphql.spi.EventingService;

/**
 * Our changes to the graphql-java engine SmallRye builds, made just before it is built (SmallRye offers no
 * other hook: its CDI events need {@code quarkus.smallrye-graphql.events.enabled}, which also fires an event for
 * every field of every request). Registered in META-INF/services; enabled always (no configuration key).
 */
public final class GraphQLBuild implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder graphql) {
        return graphql.defaultDataFetcherExceptionHandler(new FieldErrors());
    }
}
