package io.headlesscrm.contract;

import static io.headlesscrm.testing.Credentials.adminKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.headlesscrm.testing.Fixtures;
import io.headlesscrm.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Property: no input makes the service fail. For every operation of the committed OpenAPI document and every
 * GraphQL query and mutation field (introspected at run time), generated garbage in path and query parameters,
 * headers, bodies and GraphQL arguments, sent as the admin, must never get a 5xx; every 4xx is a problem+json
 * body; no GraphQL error reveals an internal failure.
 *
 * <p>Tries per operation: {@code -Dcrm.badinput.tries=200} (default 40). Seed: fixed by default so a run replays;
 * {@code -Dcrm.badinput.seed=random} (or a number) to explore. The generators ({@link Garbage}) draw from one seeded
 * {@code Random} inside this {@code @QuarkusTest} so they share the running application.
 */
@QuarkusTest
class BadInputPropertyTest {

    private static final int TRIES = Integer.getInteger("crm.badinput.tries", 40);
    private static final long SEED = seed();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * What SmallRye GraphQL answers for an unexpected exception ("System error", its default error message) and
     * what a leaked exception looks like (a class name, a stack frame, an SQL error).
     */
    private static final Pattern INTERNAL = Pattern.compile("System error|Server Error|Internal error"
            + "|\\.[A-Z][A-Za-z]{0,60}(Exception|Error)\\b|[A-Z][A-Za-z]{0,60}Exception: |\\tat |HR0000"
            + "|SQL|ERROR: ");
    private static final RestAssuredConfig RAW = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 20_000)
                    .setParam("http.connection.timeout", 5_000));

    private static String customerId;
    private static String endpointId;
    private static String tagKey;

    /** Real ids for some of the inputs, so that garbage also reaches code past the lookup. */
    @BeforeEach
    void someRealResources() {
        if (customerId != null) {
            return;
        }
        customerId = Fixtures.customer("+4915112345678", "fuzz@example.com");
        tagKey = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-API-Key", adminKey()).contentType(ContentType.JSON).body(Map.of("key", tagKey, "name", "Fuzz"))
                .post("/api/v1/tags").then().statusCode(201);
        endpointId = given().header("X-API-Key", adminKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/fuzz", "eventTypes", List.of("customer.created")))
                .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().as(Json.class).get("id");
    }

    @Test
    void everyRestOperationAnswersGarbageWithAProblemNeverA5xx() throws IOException {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(Path.of("openapi/openapi.yaml")));
        Garbage g = new Garbage(SEED);
        try (Findings findings = new Findings()) {
            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").properties().iterator(); paths.hasNext();) {
                var path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().properties().iterator(); ops.hasNext();) {
                    var op = ops.next();
                    operations++;
                    for (int i = 0; i < TRIES; i++) {
                        sendRest(doc, path.getKey(), op.getKey(), op.getValue(), g, findings);
                    }
                }
            }
            report("REST (" + operations + " operations)", findings);
        }
    }

    @Test
    void everyGraphQLFieldAnswersGarbageWithoutAnInternalError() {
        JsonNode schema = graphql("query { __schema { queryType { name } mutationType { name } types { kind name"
                + " fields { name args { name type { ...T } } type { ...T } } inputFields { name type { ...T } }"
                + " enumValues { name } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name"
                + " ofType { kind name ofType { kind name } } } } }", Map.of()).path("data").path("__schema");
        Map<String, JsonNode> types = new HashMap<>();
        schema.get("types").forEach(t -> types.put(t.get("name").asText(), t));
        Garbage g = new Garbage(SEED);
        try (Findings findings = new Findings()) {
            int fields = 0;
            for (String root : List.of("queryType", "mutationType")) {
                String operation = root.equals("queryType") ? "query" : "mutation";
                for (JsonNode field : types.get(schema.path(root).path("name").asText()).get("fields")) {
                    fields++;
                    for (int i = 0; i < TRIES; i++) {
                        sendGraphQL(operation, field, types, g, findings);
                    }
                }
            }
            report("GraphQL (" + fields + " fields)", findings);
        }
    }

    // ---- REST

    private void sendRest(JsonNode doc, String template, String method, JsonNode op, Garbage g, Findings findings) {
        String operation = op.path("operationId").asText(method + " " + template);
        String url = template;
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode p : op.path("parameters")) {
            String name = p.get("name").asText();
            switch (p.get("in").asText()) {
                case "path" -> url = url.replace("{" + name + "}", encode(pathValue(name, template, g)));
                case "query" -> {
                    if (g.chance(name.equals("cursor") ? 0.8 : 0.5)) {
                        query.put(name, queryValue(name, g));
                    }
                }
                case "header" -> {
                    if (g.chance(0.6)) {
                        headers.put(name, g.header());
                    }
                }
                default -> {
                }
            }
        }
        if (g.chance(0.05)) {
            query.put(g.chance(0.5) ? "attr." + g.parameter() : g.parameter(), g.parameter());
        }
        RequestSpecification request = given().config(RAW).urlEncodingEnabled(false).header("X-API-Key", adminKey())
                .headers(headers);
        String body = null;
        JsonNode content = op.path("requestBody").path("content");
        if (content.isObject() && content.size() > 0) {
            String type = content.fieldNames().next();
            body = switch (g.chance(0.1) ? 0 : g.chance(0.1) ? 1 : 2) {
                case 0 -> g.pick(List.of("{", "{\"a\":", "nul", "[1,]", "\u0000", "{\"a\":1}{", "")) + g.parameter();
                case 1 -> RawJson.write(g.anyJson(3));
                default -> RawJson.write(valueFor(doc, content.get(type).path("schema"), g, 5));
            };
            request.contentType(type).body(body.getBytes(StandardCharsets.UTF_8));
        }
        String target = url + (query.isEmpty() ? "" : "?" + String.join("&", query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).toList()));
        String input = method.toUpperCase() + " " + target + " " + headers + (body == null ? "" : " " + body);
        findings.sending();
        Response response;
        try {
            response = request.request(method.toUpperCase(), target);
        } catch (RuntimeException e) {
            findings.add(operation, "no answer: " + e, input);
            return;
        }
        int status = response.statusCode();
        if (status >= 500) {
            findings.add(operation, status + " " + findings.loggedCause(Findings.abbreviate(response.asString(), 120)),
                    input);
        } else if (status >= 400 && !isProblem(response, status)) {
            findings.add(operation, status + " without a problem+json body (" + response.contentType() + ")", input);
        }
    }

    private static boolean isProblem(Response response, int status) {
        if (!String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            return false;
        }
        try {
            JsonNode body = MAPPER.readTree(response.asByteArray());
            return body.path("type").isTextual() && body.path("title").isTextual()
                    && body.path("status").asInt() == status;
        } catch (IOException e) {
            return false;
        }
    }

    private static String pathValue(String name, String template, Garbage g) {
        if (g.chance(0.25)) {
            return switch (name) {
                case "id" -> template.startsWith("/api/v1/customers") ? customerId
                        : template.startsWith("/api/v1/webhook-endpoints") ? endpointId : UUID.randomUUID().toString();
                case "key" -> tagKey;
                case "channel" -> g.pick(List.of("EMAIL", "SMS", "email", "PUSH"));
                default -> g.parameter();
            };
        }
        String value = g.chance(0.15) ? UUID.randomUUID().toString() : g.parameter();
        return value.isEmpty() ? "x" : value; // an empty segment is another route, not bad input
    }

    private static String queryValue(String name, Garbage g) {
        if (name.equals("cursor") && g.chance(0.8)) {
            return g.forgedCursor();
        }
        if (g.chance(0.3)) {
            return switch (name) {
                case "customerId", "entityId", "actorId" -> g.chance(0.5) ? customerId : UUID.randomUUID().toString();
                case "sort" -> g.pick(List.of("createdAt", "-createdAt", "name", "-name"));
                case "limit" -> String.valueOf(g.pick(List.of(1, 5, 100)));
                case "createdFrom", "createdTo", "from", "to" -> "2026-01-31T00:00:00Z";
                default -> g.parameter();
            };
        }
        return g.parameter();
    }

    /** A value shaped like {@code schema} (following $ref), with wrong types and nasty leaves mixed in. */
    private static Object valueFor(JsonNode doc, JsonNode schema, Garbage g, int depth) {
        if (schema.has("$ref")) {
            String[] ref = schema.get("$ref").asText().substring(2).split("/");
            JsonNode target = doc;
            for (String part : ref) {
                target = target.path(part);
            }
            return valueFor(doc, target, g, depth);
        }
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.has(combinator)) {
                return valueFor(doc, g.pick(toList(schema.get(combinator))), g, depth);
            }
        }
        if (depth <= 0 || g.chance(0.08)) {
            return g.anyJson(2);
        }
        if (schema.has("enum") && g.chance(0.8)) {
            return MAPPER.convertValue(g.pick(toList(schema.get("enum"))), Object.class);
        }
        String format = schema.path("format").asText("");
        return switch (schema.path("type").asText("")) {
            case "string" -> format.equals("uuid") && g.chance(0.5) ? UUID.randomUUID().toString()
                    : format.equals("date-time") && g.chance(0.5) ? "2026-01-31T00:00:00Z" : g.text();
            case "integer", "number" -> g.chance(0.5) ? g.pick(List.of(0, 1, 5, 60, 3600)) : g.number();
            case "boolean" -> g.chance(0.9) ? (Object) g.chance(0.5) : g.text();
            case "array" -> {
                List<Object> list = new ArrayList<>();
                if (g.chance(0.05)) { // past every size limit, still far inside the body limit
                    for (int n = 0; n < 2_000; n++) {
                        list.add(UUID.randomUUID().toString());
                    }
                    yield list;
                }
                for (int n = g.pick(List.of(0, 1, 2, 3)); n > 0; n--) {
                    list.add(valueFor(doc, schema.path("items"), g, depth - 1));
                }
                yield list;
            }
            case "object" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                List<String> required = toList(schema.path("required")).stream().map(JsonNode::asText).toList();
                schema.path("properties").properties().forEach(p -> {
                    if (g.chance(required.contains(p.getKey()) ? 0.9 : 0.5)) {
                        map.put(p.getKey(), valueFor(doc, p.getValue(), g, depth - 1));
                    }
                });
                if (schema.path("additionalProperties").isObject()) {
                    for (int n = g.pick(List.of(0, 1, 3)); n > 0; n--) {
                        map.put(g.parameter(), valueFor(doc, schema.get("additionalProperties"), g, depth - 1));
                    }
                }
                if (g.chance(0.05)) {
                    map.put(g.parameter(), g.anyJson(2));
                }
                yield map;
            }
            default -> g.anyJson(2);
        };
    }

    // ---- GraphQL

    private void sendGraphQL(String operation, JsonNode field, Map<String, JsonNode> types, Garbage g,
            Findings findings) {
        List<String> declarations = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        Map<String, Object> variables = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode arg : field.get("args")) {
            boolean required = arg.path("type").path("kind").asText().equals("NON_NULL");
            if (!required && g.chance(0.3)) {
                continue;
            }
            String variable = "v" + i++;
            declarations.add("$" + variable + ": " + typeName(arg.get("type")));
            arguments.add(arg.get("name").asText() + ": $" + variable);
            variables.put(variable, argValue(arg.get("name").asText(), arg.get("type"), types, g, 4));
        }
        String name = field.get("name").asText();
        String document = operation + (declarations.isEmpty() ? "" : "(" + String.join(", ", declarations) + ")")
                + " { " + name + (arguments.isEmpty() ? "" : "(" + String.join(", ", arguments) + ")")
                + selection(field.get("type"), types) + " }";
        String body = "{\"query\":" + RawJson.write(document) + ",\"variables\":" + RawJson.write(variables) + "}";
        String operationName = operation + " " + name;
        findings.sending();
        Response response;
        try {
            response = given().config(RAW).header("X-API-Key", adminKey()).contentType("application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8)).post("/graphql");
        } catch (RuntimeException e) {
            findings.add(operationName, "no answer: " + e, body);
            return;
        }
        if (response.statusCode() >= 500) {
            findings.add(operationName, response.statusCode() + " " + findings.loggedCause(
                    Findings.abbreviate(response.asString(), 120)), body);
            return;
        }
        JsonNode answer;
        try {
            answer = MAPPER.readTree(response.asByteArray());
        } catch (IOException e) {
            findings.add(operationName, response.statusCode() + " answer is not JSON", body);
            return;
        }
        for (JsonNode error : answer.path("errors")) {
            String message = Findings.abbreviate(error.path("message").asText(), 2_000);
            if (INTERNAL.matcher(message).find()) {
                findings.add(operationName, "error \"" + Findings.abbreviate(message, 80) + "\" caused by "
                        + findings.loggedCause("(nothing logged)"), body);
            }
        }
    }

    private static Object argValue(String name, JsonNode type, Map<String, JsonNode> types, Garbage g, int depth) {
        if (depth <= 0 || g.chance(0.05)) {
            return g.anyJson(1);
        }
        if (!type.path("kind").asText().equals("NON_NULL") && g.chance(0.1)) {
            return null;
        }
        return switch (type.path("kind").asText()) {
            case "NON_NULL" -> argValue(name, type.get("ofType"), types, g, depth);
            case "LIST" -> {
                List<Object> list = new ArrayList<>();
                for (int n = g.pick(List.of(0, 1, 2, 3)); n > 0; n--) {
                    list.add(argValue(name, type.get("ofType"), types, g, depth - 1));
                }
                yield list;
            }
            case "ENUM" -> g.chance(0.8)
                    ? g.pick(toList(types.get(type.get("name").asText()).get("enumValues"))).get("name").asText()
                    : g.text();
            case "INPUT_OBJECT" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonNode f : types.get(type.get("name").asText()).get("inputFields")) {
                    boolean required = f.path("type").path("kind").asText().equals("NON_NULL");
                    if (g.chance(required ? 0.95 : 0.5)) {
                        map.put(f.get("name").asText(), argValue(f.get("name").asText(), f.get("type"), types, g,
                                depth - 1));
                    }
                }
                yield map;
            }
            default -> scalar(name, type.path("name").asText(), g);
        };
    }

    private static Object scalar(String argument, String scalar, Garbage g) {
        if (argument.equals("after") && g.chance(0.8)) {
            return g.forgedCursor();
        }
        return switch (scalar) {
            case "ID" -> g.chance(0.3) ? g.pick(List.of(customerId, endpointId, UUID.randomUUID().toString()))
                    : g.parameter();
            case "Int" -> g.chance(0.6) ? g.pick(List.of(0, 1, 5, 100, 101, -1)) : g.number();
            case "Float", "BigDecimal", "BigInteger", "Long" -> g.number();
            case "Boolean" -> g.chance(0.9) ? (Object) g.chance(0.5) : g.text();
            case "JSON" -> g.anyJson(3);
            case "DateTime" -> g.chance(0.5) ? "2026-01-31T00:00:00Z" : g.text();
            default -> argument.equals("key") && g.chance(0.3) ? tagKey : g.text();
        };
    }

    private static String typeName(JsonNode type) {
        return switch (type.path("kind").asText()) {
            case "NON_NULL" -> typeName(type.get("ofType")) + "!";
            case "LIST" -> "[" + typeName(type.get("ofType")) + "]";
            default -> type.get("name").asText();
        };
    }

    /** {@code __typename} and the leaf fields that take no required argument: enough to run every resolver. */
    private static String selection(JsonNode type, Map<String, JsonNode> types) {
        while (type.has("ofType") && !type.get("ofType").isNull()) {
            type = type.get("ofType");
        }
        JsonNode named = types.get(type.path("name").asText());
        if (named == null || named.path("kind").asText().matches("SCALAR|ENUM")) {
            return "";
        }
        List<String> leaves = new ArrayList<>(List.of("__typename"));
        for (JsonNode f : named.path("fields")) {
            JsonNode t = f.get("type");
            while (t.has("ofType") && !t.get("ofType").isNull()) {
                t = t.get("ofType");
            }
            boolean leaf = types.get(t.path("name").asText()).path("kind").asText().matches("SCALAR|ENUM");
            boolean needsArgs = toList(f.get("args")).stream()
                    .anyMatch(a -> a.path("type").path("kind").asText().equals("NON_NULL"));
            if (leaf && !needsArgs) {
                leaves.add(f.get("name").asText());
            }
        }
        return " { " + String.join(" ", leaves) + " }";
    }

    private static JsonNode graphql(String query, Map<String, Object> variables) {
        String body = given().header("X-API-Key", adminKey()).contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables)).post("/graphql").then().statusCode(200)
                .extract().asString();
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers

    private static void report(String title, Findings findings) throws RuntimeException {
        String report = findings.report(title, SEED);
        System.out.println(report);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "bad-input-" + title.split(" ")[0] + ".txt"), report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(findings.isEmpty()).as(report).isTrue();
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long seed() {
        String given = System.getProperty("crm.badinput.seed", "20261124");
        return given.equals("random") ? new java.util.Random().nextLong() : Long.parseLong(given);
    }
}
