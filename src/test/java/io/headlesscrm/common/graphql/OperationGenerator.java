package io.headlesscrm.common.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnmodifiedType;

/**
 * Random operations that are valid against a schema, as an outside fuzzer builds them: a few root fields (queries,
 * or one mutation), arguments drawn from real ids and keys, odd but well-typed values, and random selections to a
 * bounded depth. Seeded, so a failure is replayed by its seed and index.
 */
final class OperationGenerator {

    private static final int MAX_DEPTH = 5;

    private final GraphQLSchema schema;
    private final Random random;
    private final List<String> ids;
    private final List<String> strings;
    /** Every field of an operation gets its own alias, so fields of different types never conflict. */
    private int aliases;

    /** {@code ids} and {@code strings} are real values (ids of existing objects, tag keys) to draw from. */
    OperationGenerator(GraphQLSchema schema, long seed, List<String> ids, List<String> strings) {
        this.schema = schema;
        this.random = new Random(seed);
        this.ids = ids;
        this.strings = strings;
    }

    /** The next operation: mostly queries of one to four root fields, one mutation in five. */
    String next() {
        aliases = 0;
        if (random.nextInt(5) == 0) {
            return "mutation { " + field(pick(schema.getMutationType().getFieldDefinitions()), 1) + " }";
        }
        List<GraphQLFieldDefinition> roots = schema.getQueryType().getFieldDefinitions();
        int count = 1 + random.nextInt(4);
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            query.append(" f").append(i).append(": ").append(field(pick(roots), 1));
        }
        return query.append(" }").toString();
    }

    private String field(GraphQLFieldDefinition field, int depth) {
        StringBuilder out = new StringBuilder(field.getName());
        List<String> args = new ArrayList<>();
        for (GraphQLArgument argument : field.getArguments()) {
            boolean required = GraphQLTypeUtil.isNonNull(argument.getType());
            if (required || random.nextInt(3) == 0) {
                args.add(argument.getName() + ": " + value(argument.getType(), 0));
            }
        }
        if (!args.isEmpty()) {
            out.append('(').append(String.join(", ", args)).append(')');
        }
        GraphQLUnmodifiedType type = GraphQLTypeUtil.unwrapAll(field.getType());
        if (type instanceof GraphQLFieldsContainer || GraphQLTypeUtil.isInterfaceOrUnion(type)) {
            out.append(' ').append(selection((GraphQLOutputType) type, depth + 1));
        }
        return out.toString();
    }

    private String selection(GraphQLOutputType type, int depth) {
        StringBuilder out = new StringBuilder("{ __typename");
        if (type instanceof GraphQLObjectType object) {
            fields(object, depth, out);
        } else { // an interface (the schema has no unions): its fields through some of its types
            for (GraphQLObjectType possible : schema.getImplementations((GraphQLInterfaceType) type)) {
                if (random.nextBoolean()) {
                    out.append(" ... on ").append(possible.getName()).append(" {");
                    fields(possible, depth, out);
                    out.append(" }");
                }
            }
        }
        return out.append(" }").toString();
    }

    private void fields(GraphQLObjectType object, int depth, StringBuilder out) {
        List<GraphQLFieldDefinition> fields = object.getFieldDefinitions();
        int count = 1 + random.nextInt(Math.min(4, fields.size()));
        for (int i = 0; i < count; i++) {
            GraphQLFieldDefinition field = pick(fields);
            boolean leaf = GraphQLTypeUtil.isLeaf(GraphQLTypeUtil.unwrapAll(field.getType()));
            if (leaf || depth < MAX_DEPTH) {
                out.append(" g").append(aliases++).append(": ").append(field(field, depth));
            }
        }
    }

    /** A literal of the given input type: well-typed, often odd (empty, negative, unknown id). */
    private String value(GraphQLInputType type, int depth) {
        if (type instanceof GraphQLNonNull nonNull) {
            return value((GraphQLInputType) nonNull.getWrappedType(), depth);
        }
        if (type instanceof GraphQLList list) {
            int size = random.nextInt(3);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                items.add(value((GraphQLInputType) list.getWrappedType(), depth + 1));
            }
            return "[" + String.join(", ", items) + "]";
        }
        if (type instanceof GraphQLEnumType enumType) {
            return pick(enumType.getValues()).getName();
        }
        if (type instanceof GraphQLInputObjectType object) {
            List<String> fields = new ArrayList<>();
            for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
                if (GraphQLTypeUtil.isNonNull(field.getType()) || (depth < 3 && random.nextInt(3) == 0)) {
                    fields.add(field.getName() + ": " + value(field.getType(), depth + 1));
                }
            }
            return "{" + String.join(", ", fields) + "}";
        }
        return scalar(((GraphQLScalarType) type).getName(), depth);
    }

    private String scalar(String name, int depth) {
        return switch (name) {
            case "ID" -> quoted(random.nextInt(6) == 0 ? UUID.randomUUID().toString() : pick(ids));
            case "Int", "BigInteger", "Long" -> pick(List.of("0", "1", "2", "5", "20", "100", "-1", "101"));
            case "Float", "BigDecimal" -> pick(List.of("0", "1.5", "12.34", "-1", "100"));
            case "Boolean" -> random.nextBoolean() ? "true" : "false";
            case "DateTime" -> quoted(pick(List.of("2026-01-01T00:00:00Z", "2030-06-30T12:00:00+02:00", "1970-01-01T00:00:00Z")));
            case "Date" -> quoted(pick(List.of("2026-01-01", "2026-12-31", "1999-02-28")));
            case "JSON" -> depth > 2 || random.nextBoolean() ? "{}" : "{note: " + quoted(pick(strings)) + ", n: 1}";
            default -> quoted(random.nextInt(4) == 0 ? pick(List.of("", "x", "ünïcødé ✓", "a b", "2026-01-01", "nul\0")) : pick(strings));
        };
    }

    private static String quoted(String text) {
        return text.chars().mapToObj(c -> c == '"' || c == '\\' ? "\\" + (char) c
                : c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .collect(Collectors.joining("", "\"", "\""));
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
