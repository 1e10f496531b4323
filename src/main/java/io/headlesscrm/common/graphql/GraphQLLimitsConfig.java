package io.headlesscrm.common.graphql;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How much one GraphQL operation may ask for; introspection counts for neither (see {@link QueryLimits}). */
@ConfigMapping(prefix = "crm.graphql.limits")
public interface GraphQLLimitsConfig {

    /** Most levels of fields an operation may nest. */
    @WithDefault("10")
    int depth();

    /** Most fields an operation may select, every selection of a field counted (graphql-java's complexity). */
    @WithDefault("200")
    int complexity();
}
