package io.headlesscrm.common.graphql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.Directives;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLUnionType;
import graphql.schema.SchemaTransformer;
import graphql.schema.TypeResolver;

/**
 * The schema as front-end toolchains load it, from the SDL at /graphql/schema.graphql (which declares the custom
 * scalars and every directive, application.properties' schema-include-*) or by introspection: complete, its
 * scalars specified ({@link ScalarSpecifications}) and its built-in directives the GraphQL specification's.
 * Applied by {@link GraphQLBuild}.
 */
final class PublishedSchema {

    private PublishedSchema() {
    }

    /** The schema SmallRye is about to build, as published. */
    static GraphQLSchema.Builder of(GraphQLSchema.Builder builder) {
        GraphQLSchema schema = SchemaTransformer.transformSchema(builder.build(), new ScalarSpecifications());
        return GraphQLSchema.newSchema(schema).codeRegistry(resolvingByName(schema))
                .clearDirectives().additionalDirectives(standard(schema.getDirectives()));
    }

    /**
     * SmallRye's interface and union resolvers answer the object types it built, but those holding a specified
     * scalar are new objects now, and graphql-java matches a fragment's type condition by identity: {@code ... on
     * Customer} would select nothing. So the answer is exchanged for the executing schema's type of that name.
     */
    private static GraphQLCodeRegistry resolvingByName(GraphQLSchema schema) {
        GraphQLCodeRegistry registry = schema.getCodeRegistry();
        return registry.transform(resolvers -> schema.getAllTypesAsList().forEach(type -> {
            if (type instanceof GraphQLInterfaceType abstractType) {
                resolvers.typeResolver(abstractType, byName(registry.getTypeResolver(abstractType)));
            } else if (type instanceof GraphQLUnionType abstractType) {
                resolvers.typeResolver(abstractType, byName(registry.getTypeResolver(abstractType)));
            }
        }));
    }

    private static TypeResolver byName(TypeResolver resolver) {
        return environment -> {
            GraphQLObjectType type = resolver.getType(environment);
            return type == null ? null : environment.getSchema().getObjectType(type.getName());
        };
    }

    /**
     * SmallRye declares @deprecated from its own annotation (io.smallrye.graphql.api.Deprecated), without the
     * specification's default reason ("No longer supported"); printed into the SDL, that would redefine the
     * built-in for every tool that loads the file.
     */
    private static Set<GraphQLDirective> standard(List<GraphQLDirective> directives) {
        GraphQLDirective deprecated = Directives.DeprecatedDirective;
        return directives.stream().map(d -> d.getName().equals(deprecated.getName()) ? deprecated : d)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
