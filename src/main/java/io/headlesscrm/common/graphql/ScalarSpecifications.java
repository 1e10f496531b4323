package io.headlesscrm.common.graphql;

import static graphql.util.TreeTransformerUtil.changeNode;

import java.util.Map;

import graphql.Directives;
import graphql.Scalars;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLAppliedDirectiveArgument;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

/**
 * Says what each custom scalar is and which specification it follows, so that a front end's code generator and
 * its developers know what a {@code DateTime} is: the published SDL reads {@code scalar DateTime @specifiedBy(url:
 * "…")} and introspection answers {@code specifiedByURL}. SmallRye creates its scalars without; graphql-java
 * prints the applied directive and introspects the property, so each scalar gets both. A schema visitor, because
 * the fields hold the scalar objects themselves: a changed scalar has to be swapped in everywhere.
 */
final class ScalarSpecifications extends GraphQLTypeVisitorStub {

    private static final String RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6";

    /** What a scalar is, for the reader of the schema, and the specification it follows, if one does. */
    record Specification(String description, String url) {
    }

    /**
     * Only what a specification really describes. DateTime is written with ISO_INSTANT (ISO_OFFSET_DATE_TIME for
     * offset values): RFC 3339 date-time, but not scalars.graphql.org's date-time, which wants exactly three
     * fraction digits (we send none to six). Date is ISO_LOCAL_DATE, RFC 3339 full-date. BigDecimal and BigInteger
     * are JSON numbers of any size, which no specification names (SmallRye's descriptions only repeat the name).
     */
    static final Map<String, Specification> SCALARS = Map.of(
            "DateTime", new Specification("A date and time with its offset: an RFC 3339 date-time, such as "
                    + "2026-03-01T09:30:00.123456Z", RFC_3339),
            "Date", new Specification("A calendar date: an RFC 3339 full-date, such as 2026-03-01", RFC_3339),
            "JSON", new Specification("Any JSON value", "https://datatracker.ietf.org/doc/html/rfc8259"),
            "BigDecimal", new Specification("A decimal number of any size and precision, as a JSON number", null),
            "BigInteger", new Specification("An integer of any size, as a JSON number", null));

    @Override
    public TraversalControl visitGraphQLScalarType(GraphQLScalarType scalar,
            TraverserContext<GraphQLSchemaElement> context) {
        Specification specification = SCALARS.get(scalar.getName());
        if (specification == null || specification.description().equals(scalar.getDescription())) {
            return TraversalControl.CONTINUE; // not ours, or already done
        }
        return changeNode(context, scalar.transform(builder -> {
            builder.description(specification.description());
            if (specification.url() != null) {
                builder.specifiedByUrl(specification.url()).withAppliedDirective(specifiedBy(specification.url()));
            }
        }));
    }

    private static GraphQLAppliedDirective specifiedBy(String url) {
        return GraphQLAppliedDirective.newDirective().name(Directives.SpecifiedByDirective.getName())
                .argument(GraphQLAppliedDirectiveArgument.newArgument().name("url")
                        .type(GraphQLNonNull.nonNull(Scalars.GraphQLString)).valueProgrammatic(url))
                .build();
    }
}
