package io.headlesscrm.common.graphql;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.headlesscrm.common.Text;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A GraphQL-over-HTTP request read as the specification asks: from a POST's JSON body or a GET's query string, into
 * the {@code {query, operationName?, variables?, extensions?}} object SmallRye executes, and checked before anything
 * runs. A request that is not well-formed is a {@link Refusal}, with the status and code the endpoint answers.
 */
final class GraphQLRequests {

    /** Levels of JSON a request may nest (the body's object is level 0, its variables 1, and so on). */
    static final int MAX_NESTING = 256;
    static final Refusal TOO_DEEP = new Refusal(400, "too-deeply-nested",
            "The request's JSON is nested too deeply: at most " + MAX_NESTING + " levels");

    private GraphQLRequests() {
    }

    /** A POST's request: a UTF-8 JSON object in the body. */
    static JsonObject fromBody(RoutingContext rc) {
        String contentType = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith(GraphQLOverHttp.JSON)) {
            throw new Refusal(415, "unsupported-media-type", "Send the request as application/json: "
                    + "{\"query\": \"...\", \"variables\": {...}}");
        }
        String charset = charset(contentType);
        if (charset != null && !"utf-8".equalsIgnoreCase(charset)) {
            throw new Refusal(415, "unsupported-media-type", "Requests are read as UTF-8, not " + charset);
        }
        String body = rc.body() == null ? null : rc.body().asString(StandardCharsets.UTF_8.name());
        if (body == null || body.isBlank()) {
            throw new Refusal(400, "malformed-request", "The body is empty; send {\"query\": \"...\"}");
        }
        JsonValue value;
        try (var reader = Json.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (RuntimeException e) { // a JsonException, or the parser's nesting limit
            throw tooDeep(e) ? TOO_DEEP : new Refusal(400, "malformed-json", "The body is not JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new Refusal(400, "malformed-request", "The body must be a JSON object {\"query\": \"...\"}");
        }
        JsonObject params = value.asJsonObject();
        JsonObjectBuilder request = Json.createObjectBuilder().add("query", query(params.get("query")));
        optional(request, params, "operationName", JsonValue.ValueType.STRING, "a string");
        optional(request, params, "variables", JsonValue.ValueType.OBJECT, "an object");
        optional(request, params, "extensions", JsonValue.ValueType.OBJECT, "an object");
        return request.build();
    }

    /** A GET's request: {@code query} and {@code operationName} as they are, the others URL-encoded JSON objects. */
    static JsonObject fromQueryString(MultiMap params) {
        JsonObjectBuilder request = Json.createObjectBuilder()
                .add("query", query(params.get("query") == null ? null : Json.createValue(params.get("query"))));
        String operationName = params.get("operationName");
        if (operationName != null && !operationName.isEmpty()) {
            request.add("operationName", operationName);
        }
        for (String name : List.of("variables", "extensions")) {
            String json = params.get(name);
            if (json == null || json.isEmpty()) {
                continue;
            }
            try (var reader = Json.createReader(new StringReader(json))) {
                JsonValue value = reader.readValue();
                if (value.getValueType() == JsonValue.ValueType.OBJECT) {
                    request.add(name, value);
                    continue;
                }
            } catch (RuntimeException e) { // a JsonException, or the parser's nesting limit: reported below
                if (tooDeep(e)) {
                    throw TOO_DEEP;
                }
            }
            throw new Refusal(400, "invalid-parameter", "'" + name + "' must be a JSON object, URL-encoded");
        }
        return request.build();
    }

    /**
     * Checks what the request carries before anything runs: every string and field name must be storable
     * (variables reach the database as they are), and nothing may nest deeper than {@link #MAX_NESTING}. Past
     * that, converting a JSON argument recursed until the stack overflowed or not, depending on how much of the
     * converter the JIT had compiled: the same request was a 400 or a 200. A fixed limit answers it one way.
     */
    static void check(JsonObject request) {
        record Nested(JsonValue value, int depth) {
        }
        Deque<Nested> pending = new ArrayDeque<>(List.of(new Nested(request, 0))); // iterative: no recursion
        while (!pending.isEmpty()) {
            Nested next = pending.pop();
            JsonValue value = next.value();
            if (next.depth() > MAX_NESTING) {
                throw TOO_DEEP;
            }
            switch (value.getValueType()) {
                case STRING -> {
                    if (!Text.storable(((JsonString) value).getString())) {
                        throw new Refusal(400, "invalid-text", "The request's " + Text.RULE);
                    }
                }
                case ARRAY -> value.asJsonArray().forEach(item -> pending.push(new Nested(item, next.depth() + 1)));
                case OBJECT -> {
                    for (var field : value.asJsonObject().entrySet()) {
                        if (!Text.storable(field.getKey())) {
                            throw new Refusal(400, "invalid-text", "The request's " + Text.RULE);
                        }
                        pending.push(new Nested(field.getValue(), next.depth() + 1));
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * Whether the operation the request names (or its only one) is a mutation or subscription. A document
     * that does not parse, or names no operation it has, is left to execution, which reports it as usual.
     */
    static boolean isMutation(JsonObject request) {
        Document document;
        try {
            document = Parser.parse(request.getString("query"));
        } catch (RuntimeException e) { // InvalidSyntaxException, or a parser limit
            return false;
        }
        String name = request.getString("operationName", null);
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        OperationDefinition chosen = null;
        for (OperationDefinition op : operations) {
            if (name == null ? operations.size() == 1 : name.equals(op.getName())) {
                chosen = op;
            }
        }
        return chosen != null && chosen.getOperation() != OperationDefinition.Operation.QUERY;
    }

    /** Whether a failure (or one of its causes) comes of JSON nested too deeply to read or convert. */
    static boolean tooDeep(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof StackOverflowError || String.valueOf(t.getMessage()).contains("too deeply nested")) {
                return true;
            }
        }
        return false;
    }

    private static String query(JsonValue query) {
        if (query == null || query.getValueType() == JsonValue.ValueType.NULL) {
            throw new Refusal(400, "malformed-request", "'query' is missing: send the GraphQL document as a string");
        }
        if (query.getValueType() != JsonValue.ValueType.STRING) {
            throw new Refusal(400, "malformed-request", "'query' must be a string holding the GraphQL document");
        }
        return ((JsonString) query).getString();
    }

    /** Copies an optional parameter of the given type; null is as good as absent. */
    private static void optional(JsonObjectBuilder request, JsonObject params, String name,
            JsonValue.ValueType type, String what) {
        JsonValue value = params.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        if (value.getValueType() != type) {
            throw new Refusal(400, "malformed-request", "'" + name + "' must be " + what + " or null");
        }
        request.add(name, value);
    }

    private static String charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase().startsWith("charset=")) {
                return p.substring("charset=".length()).replace("\"", "").trim();
            }
        }
        return null;
    }

    /** A request refused before execution: its status, a stable code, and what to do instead. */
    static final class Refusal extends RuntimeException {

        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
