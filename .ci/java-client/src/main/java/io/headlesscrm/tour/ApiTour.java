package io.headlesscrm.tour;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headlesscrm.client.ApiClient;
import io.headlesscrm.client.ApiException;
import io.headlesscrm.client.ApiResponse;
import io.headlesscrm.client.api.CustomersApi;
import io.headlesscrm.client.api.CustomersApi.APICreateCustomerRequest;
import io.headlesscrm.client.api.CustomersApi.APIDeleteCustomerRequest;
import io.headlesscrm.client.api.CustomersApi.APIListCustomersRequest;
import io.headlesscrm.client.api.CustomersApi.APIUpdateCustomerRequest;
import io.headlesscrm.client.api.CustomersApi.APIUpsertCustomerByExternalIdRequest;
import io.headlesscrm.client.api.TagsApi;
import io.headlesscrm.client.api.TagsApi.APIAssignCustomerTagRequest;
import io.headlesscrm.client.api.TouchpointsApi;
import io.headlesscrm.client.api.TouchpointsApi.APICreateTouchpointRequest;
import io.headlesscrm.client.model.Channel;
import io.headlesscrm.client.model.Customer;
import io.headlesscrm.client.model.CustomerInput;
import io.headlesscrm.client.model.CustomerTag;
import io.headlesscrm.client.model.CustomerType;
import io.headlesscrm.client.model.FieldError;
import io.headlesscrm.client.model.PageCustomerView;
import io.headlesscrm.client.model.Problem;
import io.headlesscrm.client.model.Tag;
import io.headlesscrm.client.model.TagAssignmentInput;
import io.headlesscrm.client.model.TagInput;
import io.headlesscrm.client.model.TagSource;
import io.headlesscrm.client.model.Touchpoint;
import io.headlesscrm.client.model.TouchpointContent;
import io.headlesscrm.client.model.TouchpointInput;
import io.headlesscrm.client.model.TouchpointStatus;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The API tour (docs/api-tour.md, then docs/tags.md and docs/touchpoints.md), done by a partner through the client
 * generated from openapi/openapi.yaml and nothing else: every request is a generated method, every body a generated
 * model read by the strict mapper, every error the generated {@link ApiException} with its problem+json body read
 * into the generated {@link Problem}.
 * Prints one line per step; the first mismatch throws {@link TourFailure}.
 *
 * <pre>CRM_BASE_URL=http://localhost:8080 CRM_API_KEY=hcrm_... (or -Dcrm.baseUrl, -Dcrm.apiKey)</pre>
 */
public final class ApiTour {
    /** Every customer this run creates carries it in its email, so the list below sees only them. */
    private final String run = "tour" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json;
    private final CustomersApi customers;
    private final TagsApi tags;
    private final TouchpointsApi touchpoints;
    private int steps;

    public ApiTour(String baseUrl, String apiKey) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        json = StrictJson.strict(ApiClient.createDefaultObjectMapper());
        client.setObjectMapper(json);
        // The native library has no authentication classes: an interceptor adds the key to every request.
        client.setRequestInterceptor(request -> request.header("X-API-Key", apiKey));
        customers = new CustomersApi(client);
        tags = new TagsApi(client);
        touchpoints = new TouchpointsApi(client);
    }

    public static void main(String[] args) {
        try {
            int steps = new ApiTour(setting("crm.baseUrl", "CRM_BASE_URL"), setting("crm.apiKey", "CRM_API_KEY")).run();
            System.out.println("api tour: " + steps + " passed, 0 failed");
        } catch (RuntimeException e) {
            System.out.println("api tour: " + e.getMessage());
            System.exit(1);
        }
    }

    static String setting(String property, String env) {
        String value = System.getProperty(property, System.getenv(env));
        if (value == null || value.isBlank()) {
            throw new TourFailure("set -D" + property + " or " + env);
        }
        return value;
    }

    /** Runs every step; returns how many passed (all of them, or it throws). */
    public int run() {
        // 1. Create with an Idempotency-Key; the same key and body again returns the same customer.
        String idempotencyKey = run + "-ada";
        CustomerInput ada = new CustomerInput().externalId(run + "-42").name("Ada Lovelace")
                .email("ada." + run + "@example.com").phone("+14155550123").attributes(Map.of("tier", "gold"));
        APICreateCustomerRequest createAda = APICreateCustomerRequest.newBuilder().customerInput(ada)
                .idempotencyKey(idempotencyKey).build();
        Customer customer = step("createCustomer with an Idempotency-Key: 201, Location, ETag \"0\"", () -> {
            ApiResponse<Customer> created = customers.createCustomerWithHttpInfo(createAda);
            Customer c = created.getData();
            expect(created.getStatusCode() == 201, "status %d", created.getStatusCode());
            expect(c.getId() != null && "Ada Lovelace".equals(c.getName()) && c.getType() == CustomerType.INDIVIDUAL
                    && Long.valueOf(0).equals(c.getVersion()) && "gold".equals(c.getAttributes().get("tier")), "body %s", c);
            expect(String.valueOf(header(created, "Location")).endsWith("/api/v1/customers/" + c.getId()), "Location %s",
                    header(created, "Location"));
            expect("\"0\"".equals(header(created, "ETag")), "ETag %s", header(created, "ETag"));
            return c;
        });
        UUID id = customer.getId();
        step("createCustomer again with the same key and body: the same customer, Idempotent-Replayed: true", () -> {
            ApiResponse<Customer> replayed = customers.createCustomerWithHttpInfo(createAda);
            expect(id.equals(replayed.getData().getId()), "another customer %s", replayed.getData().getId());
            expect("true".equals(header(replayed, "Idempotent-Replayed")), "Idempotent-Replayed %s",
                    header(replayed, "Idempotent-Replayed"));
            return null;
        });

        // 2. Read it and its ETag.
        String etag = step("getCustomer: the customer and its ETag \"0\"", () -> {
            ApiResponse<Customer> read = customers.getCustomerWithHttpInfo(id);
            expect(customer.equals(read.getData()), "read %s, created %s", read.getData(), customer);
            expect("\"0\"".equals(header(read, "ETag")), "ETag %s", header(read, "ETag"));
            return header(read, "ETag");
        });

        // 3. A JSON merge patch with If-Match; a stale If-Match is 412 and changes nothing.
        step("updateCustomer (merge patch) with If-Match \"0\": 200, the new name, tier cleared, ETag \"1\"", () -> {
            // A merge patch is any JSON object; a tree keeps its nulls (null clears the attribute), which the
            // generated mapper's NON_NULL inclusion would drop from a Map.
            ObjectNode patch = json.createObjectNode().put("name", "Ada King");
            patch.putObject("attributes").putNull("tier");
            ApiResponse<Customer> patched = customers.updateCustomerWithHttpInfo(
                    APIUpdateCustomerRequest.newBuilder().id(id).body(patch).ifMatch(etag).build());
            Customer c = patched.getData();
            expect(patched.getStatusCode() == 200, "status %d", patched.getStatusCode());
            expect("Ada King".equals(c.getName()) && !c.getAttributes().containsKey("tier")
                    && Long.valueOf(1).equals(c.getVersion()), "body %s", c);
            expect("\"1\"".equals(header(patched, "ETag")), "ETag %s", header(patched, "ETag"));
            return null;
        });
        step("updateCustomer with the stale If-Match: ApiException 412, a version-mismatch Problem, nothing changed", () -> {
            Problem p = problem(412, () -> customers.updateCustomer(
                    APIUpdateCustomerRequest.newBuilder().id(id).body(Map.of("name", "Ada Byron")).ifMatch(etag).build()));
            expect(p.getType().endsWith("/problems/version-mismatch") && "Precondition failed".equals(p.getTitle())
                    && p.getDetail() != null && !p.getDetail().isBlank(), "problem %s", p);
            Customer now = customers.getCustomer(id);
            expect("Ada King".equals(now.getName()) && Long.valueOf(1).equals(now.getVersion()), "after 412: %s", now);
            return null;
        });

        // 4. Create or replace by external id: 201 the first time, 200 after.
        String grace = run + "-43";
        UUID graceId = step("upsertCustomerByExternalId: 201, then 200 replacing the same customer", () -> {
            CustomerInput input = new CustomerInput().name("Grace Hopper").type(CustomerType.INDIVIDUAL)
                    .email("grace." + run + "@example.com");
            ApiResponse<Customer> first = customers.upsertCustomerByExternalIdWithHttpInfo(
                    APIUpsertCustomerByExternalIdRequest.newBuilder().externalId(grace).customerInput(input).build());
            ApiResponse<Customer> again = customers.upsertCustomerByExternalIdWithHttpInfo(APIUpsertCustomerByExternalIdRequest
                    .newBuilder().externalId(grace).customerInput(input.name("Grace Brewster Hopper")).build());
            expect(first.getStatusCode() == 201 && again.getStatusCode() == 200, "statuses %d, %d",
                    first.getStatusCode(), again.getStatusCode());
            expect(first.getData().getId().equals(again.getData().getId()) && grace.equals(again.getData().getExternalId())
                    && "Grace Brewster Hopper".equals(again.getData().getName()), "body %s", again.getData());
            return again.getData().getId();
        });

        // 5. Keyset pagination: more customers than the default page size (20), then follow nextCursor.
        Set<UUID> mine = new LinkedHashSet<>(List.of(id, graceId));
        step("createCustomer 20 more times", () -> {
            for (int i = 0; i < 20; i++) {
                mine.add(customers.createCustomer(APICreateCustomerRequest.newBuilder().customerInput(new CustomerInput()
                        .name("Tour customer " + i).email("c" + i + "." + run + "@example.com")).build()).getId());
            }
            expect(mine.size() == 22, "%d distinct customers", mine.size());
            return null;
        });
        step("listCustomers (q filter), following nextCursor to the last page: each of the 22 customers once", () -> {
            List<UUID> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                PageCustomerView page = customers.listCustomers(
                        APIListCustomersRequest.newBuilder().q(run).cursor(cursor).build());
                page.getItems().forEach(c -> seen.add(c.getId()));
                cursor = page.getNextCursor();
                expect(++pages < 100, "no last page after %d pages", pages);
            } while (cursor != null);
            expect(pages >= 2, "one page only (%d items)", seen.size());
            expect(seen.size() == mine.size() && mine.equals(new LinkedHashSet<>(seen)), "%d pages, saw %s", pages, seen);
            return null;
        });

        // 6. Define a tag, assign it, list the customer's tags.
        String key = run + "-vip";
        step("createTag: the definition, carried by no one yet", () -> {
            Tag tag = tags.createTag(new TagInput().key(key).name("VIP").category("value").color("#ff8800"));
            expect(key.equals(tag.getKey()) && "VIP".equals(tag.getName()) && Long.valueOf(0).equals(tag.getCustomerCount()),
                    "tag %s", tag);
            return null;
        });
        step("assignCustomerTag: 201, a manual assignment with its expiry", () -> {
            OffsetDateTime expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plusDays(365).truncatedTo(ChronoUnit.SECONDS);
            ApiResponse<CustomerTag> assigned = tags.assignCustomerTagWithHttpInfo(APIAssignCustomerTagRequest.newBuilder()
                    .id(id).key(key).tagAssignmentInput(new TagAssignmentInput().expiresAt(expiresAt)).build());
            CustomerTag t = assigned.getData();
            expect(assigned.getStatusCode() == 201, "status %d", assigned.getStatusCode());
            expect(key.equals(t.getKey()) && t.getSource() == TagSource.MANUAL && expiresAt.isEqual(t.getExpiresAt())
                    && t.getAssignedBy() != null && t.getAssignedAt() != null, "assignment %s", t);
            return null;
        });
        step("listCustomerTags: that tag; listCustomers with tagsAll: only that customer", () -> {
            List<CustomerTag> carried = tags.listCustomerTags(id);
            expect(carried.size() == 1 && key.equals(carried.get(0).getKey()), "tags %s", carried);
            PageCustomerView tagged = customers.listCustomers(APIListCustomersRequest.newBuilder().tagsAll(key).build());
            expect(tagged.getItems().size() == 1 && id.equals(tagged.getItems().get(0).getId())
                    && tagged.getNextCursor() == null, "tagged %s", tagged);
            return null;
        });

        // 7. A touchpoint, read back.
        UUID touchpointId = step("createTouchpoint with an Idempotency-Key: 201, QUEUED, for the customer", () -> {
            ApiResponse<Touchpoint> reach = touchpoints.createTouchpointWithHttpInfo(APICreateTouchpointRequest.newBuilder()
                    .touchpointInput(new TouchpointInput().customerId(id).channel(Channel.EMAIL).purpose("marketing")
                            .content(new TouchpointContent().templateId("spring-sale").variables(Map.of("name", "Ada"))))
                    .idempotencyKey(run + "-spring-sale").build());
            Touchpoint t = reach.getData();
            expect(reach.getStatusCode() == 201, "status %d", reach.getStatusCode());
            expect(id.equals(t.getCustomerId()) && t.getChannel() == Channel.EMAIL
                    && t.getStatus() == TouchpointStatus.QUEUED, "touchpoint %s", t);
            return t.getId();
        });
        step("getTouchpoint: the same touchpoint, its content and history", () -> {
            Touchpoint t = touchpoints.getTouchpoint(touchpointId);
            expect(touchpointId.equals(t.getId()) && t.getStatus() == TouchpointStatus.QUEUED
                    && !t.getHistory().isEmpty() && t.getHistory().get(0).getStatus() == TouchpointStatus.QUEUED
                    && "spring-sale".equals(Objects.toString(t.getContent().get("templateId"))), "touchpoint %s", t);
            return null;
        });

        // 8. Problems: every 4xx is the client's ApiException with a problem+json body.
        step("createCustomer with a bad email: ApiException 422, validation-failed naming the field", () -> {
            Problem p = problem(422, () -> customers.createCustomer(APICreateCustomerRequest.newBuilder()
                    .customerInput(new CustomerInput().name("x").email("nope")).build()));
            expect(p.getType().endsWith("/problems/validation-failed") && "Validation failed".equals(p.getTitle()),
                    "problem %s", p);
            List<String> fields = p.getErrors().stream().map(FieldError::getField).toList();
            expect(fields.equals(List.of("email")) && p.getErrors().get(0).getMessage() != null, "errors %s", p.getErrors());
            return null;
        });
        step("createTag with a key that exists: ApiException 409 with a Problem", () -> {
            Problem p = problem(409, () -> tags.createTag(new TagInput().key(key).name("VIP again")));
            expect(p.getDetail() != null && !p.getDetail().isBlank(), "problem %s", p);
            return null;
        });
        step("deleteCustomer with If-Match: 204; getCustomer then: ApiException 404, not-found", () -> {
            String graceTag = header(customers.getCustomerWithHttpInfo(graceId), "ETag");
            ApiResponse<Void> deleted = customers.deleteCustomerWithHttpInfo(
                    APIDeleteCustomerRequest.newBuilder().id(graceId).ifMatch(graceTag).build());
            expect(deleted.getStatusCode() == 204, "status %d", deleted.getStatusCode());
            Problem p = problem(404, () -> customers.getCustomer(graceId));
            expect(p.getType().endsWith("/problems/not-found") && p.getDetail().contains(graceId.toString()), "problem %s", p);
            return null;
        });
        return steps;
    }

    private <T> T step(String what, Call<T> call) {
        T result;
        long started = System.nanoTime();
        try {
            result = call.call();
        } catch (Exception e) {
            System.out.println("FAIL - " + what);
            throw new TourFailure(what + ": " + describe(e), e);
        }
        steps++;
        System.out.printf("ok   - %s (%d ms)%n", what, (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    /** Calls, expects an ApiException with that status and a problem+json body, and reads the body strictly. */
    private Problem problem(int status, Check call) throws Exception {
        try {
            call.run();
        } catch (ApiException e) {
            expect(e.getCode() == status, "expected %d, got %s", status, describe(e));
            String type = e.getResponseHeaders().firstValue("Content-Type").orElse("");
            expect(type.startsWith("application/problem+json"), "Content-Type %s", type);
            Problem p = json.readValue(e.getResponseBody(), Problem.class);
            expect(p.getStatus() != null && p.getStatus() == status && p.getType() != null && p.getTitle() != null,
                    "problem %s", p);
            return p;
        }
        throw new TourFailure("expected " + status + ", the call succeeded");
    }

    private static String header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .flatMap(h -> h.getValue().stream()).findFirst().orElse(null);
    }

    private static void expect(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new TourFailure(String.format(format, args));
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof ApiException api && api.getCode() != 0) {
            return "HTTP " + api.getCode() + " " + api.getResponseBody();
        }
        return e.getCause() != null && !(e instanceof TourFailure) ? e + " caused by " + e.getCause() : String.valueOf(e.getMessage());
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    /** A response that differs from what the tour expects. */
    public static final class TourFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TourFailure(String message) {
            super(message);
        }

        TourFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
