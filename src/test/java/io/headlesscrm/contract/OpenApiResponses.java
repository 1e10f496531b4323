package io.headlesscrm.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * A REST Assured filter that checks every response of the API against the committed {@code openapi/openapi.yaml}:
 * the operation (method and path template) must exist, the status must be one it documents, the media type one
 * that status documents, and the body must validate against that media type's schema (JSON Schema 2020-12 in
 * the OpenAPI 3.1 dialect, formats asserted). A mismatch fails the request's test at once; {@link #checked()}
 * says which (operationId, status) pairs were seen.
 */
public final class OpenApiResponses implements Filter {

    private static final Path DOCUMENT = Path.of("openapi/openapi.yaml");
    /** The address of the schemas for the schema loader; nothing is fetched from it. */
    private static final String DOCUMENT_IRI = "https://headless-crm.dev/contract/openapi.json";
    private static final String API_PREFIX = "/api/";
    private static final String[] METHODS = { "get", "put", "post", "delete", "patch" };

    private static volatile OpenApiResponses instance;

    private final List<Operation> operations = new ArrayList<>();
    /** The document's schemas, built once: loading each response's schema by its address re-read the whole document. */
    private final JsonSchema root;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger responses = new AtomicInteger();
    private final ThreadLocal<Boolean> inside = new ThreadLocal<>();

    /** An operation of the document: its path template as a regular expression, and its responses. */
    private record Operation(String method, String template, Pattern path, int parameters, String id,
            JsonNode responses) {
    }

    /** The validator of the committed document, read once. */
    public static OpenApiResponses instance() {
        if (instance == null) {
            synchronized (OpenApiResponses.class) {
                if (instance == null) {
                    instance = new OpenApiResponses();
                }
            }
        }
        return instance;
    }

    private OpenApiResponses() {
        ObjectNode document;
        try {
            document = (ObjectNode) new YAMLMapper().readTree(DOCUMENT.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // one JSON Schema document for the loader: the components' schemas and every response's schema, each
        // under a plain name in $defs (references to #/components/schemas/X become #/$defs/X)
        ObjectNode schemaDocument = document.objectNode();
        ObjectNode defs = schemaDocument.putObject("$defs");
        defs.setAll((ObjectNode) document.path("components").path("schemas"));
        document.get("paths").properties().forEach(path -> {
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                String id = op.path("operationId").asText(method + " " + path.getKey());
                JsonNode responses = op.path("responses");
                responses.properties().forEach(r -> r.getValue().path("content").properties().forEach(media -> {
                    if (media.getValue().has("schema")) {
                        defs.set(schemaName(id, r.getKey(), media.getKey()), media.getValue().get("schema"));
                    }
                }));
                String template = path.getKey();
                Pattern regex = Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), template, regex,
                        template.split("\\{", -1).length - 1, id, responses));
            }
        });
        // a literal segment wins over a parameter (/touchpoints/batch over /touchpoints/{id})
        operations.sort(Comparator.comparingInt(Operation::parameters));
        String json = schemaDocument.toString().replace("\"#/components/schemas/", "\"#/$defs/");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, json))));
        root = factory.getSchema(SchemaLocation.of(DOCUMENT_IRI), config);
    }

    private static String schemaName(String operationId, String status, String mediaType) {
        return operationId + "-" + status + "-" + mediaType.replaceAll("[^A-Za-z0-9]", "_");
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        if (inside.get() != null) {
            return context.next(request, response); // installed twice (globally and on the request): check once
        }
        Response r;
        inside.set(Boolean.TRUE);
        try {
            r = context.next(request, response);
        } finally {
            inside.remove();
        }
        check(request.getMethod(), URI.create(request.getURI()).getRawPath(), r.statusCode(), r.getContentType(),
                r.asString());
        return r;
    }

    /** Every operationId with the statuses whose responses were checked, e.g. {@code getCustomer 404}. */
    public Set<String> checked() {
        return Set.copyOf(checked);
    }

    /** How many responses were checked. */
    public int responses() {
        return responses.get();
    }

    /** Every operationId of the document. */
    public Set<String> operationIds() {
        return operations.stream().map(Operation::id).collect(Collectors.toSet());
    }

    /** Fails with an {@link AssertionError} that says what differs, when the response does not match the document. */
    void check(String method, String path, int statusCode, String contentType, String body) {
        if (!path.startsWith(API_PREFIX)) {
            return; // GraphQL, health and the documents themselves are not in the REST contract
        }
        Operation op = operations.stream().filter(o -> o.method().equals(method) && o.path().matcher(path).matches())
                .findFirst().orElse(null);
        if (op == null) {
            // a test probing what the contract does not offer: the refusal is a problem, anything else a gap
            if ((statusCode == 404 || statusCode == 405) && contentType != null
                    && contentType.startsWith("application/problem+json")) {
                validate(method + " " + path + " answered " + statusCode, "Problem", body);
                return;
            }
            throw new AssertionError("openapi.yaml has no operation for " + method + " " + path + " (status "
                    + statusCode + ", " + contentType + ")");
        }
        String status = Integer.toString(statusCode);
        String where = op.id() + " (" + method + " " + op.template() + ") answered " + status;
        JsonNode declared = op.responses().get(status);
        if (declared == null) {
            declared = op.responses().get(status.charAt(0) + "XX");
        }
        if (declared == null) {
            declared = op.responses().get("default");
        }
        if (declared == null) {
            throw new AssertionError(where + ", a status openapi.yaml does not document for it (documented: "
                    + names(op.responses()) + "); body: " + body);
        }
        JsonNode content = declared.path("content");
        if (content.isEmpty()) {
            if (!body.isEmpty()) {
                throw new AssertionError(where + " with a body, but openapi.yaml declares none: " + body);
            }
        } else {
            String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (!content.has(mediaType)) {
                throw new AssertionError(where + " as '" + contentType + "', a media type openapi.yaml does not "
                        + "document for it (documented: " + names(content) + ")");
            }
            if (content.get(mediaType).has("schema") && (mediaType.endsWith("/json") || mediaType.endsWith("+json"))) {
                validate(where, schemaName(op.id(), status, mediaType), body);
            }
        }
        checked.add(op.id() + " " + status);
        responses.incrementAndGet();
    }

    private void validate(String where, String schemaName, String body) {
        JsonSchema schema = schemas.computeIfAbsent(schemaName,
                name -> root.getSubSchema(new JsonNodePath(PathType.JSON_POINTER).append("$defs").append(name)));
        Set<ValidationMessage> errors;
        try {
            errors = schema.validate(body, InputFormat.JSON);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(where + " with a body that is not JSON: " + body, e);
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(where + " with a body that does not match openapi.yaml:\n  "
                    + errors.stream().map(ValidationMessage::toString).sorted().collect(Collectors.joining("\n  "))
                    + "\nbody: " + body);
        }
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
