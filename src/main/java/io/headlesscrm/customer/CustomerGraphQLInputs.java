package io.headlesscrm.customer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** GraphQL input types; they differ from the REST records only in carrying attributes as the JSON scalar. */
public final class CustomerGraphQLInputs {

    private CustomerGraphQLInputs() {
    }

    @Input("CustomerInput")
    @Description("A new customer; type defaults to INDIVIDUAL")
    public record Create(String externalId, CustomerType type, @NonNull String name, String email, String phone,
            Instant registeredAt, Instant lastActiveAt, JsonObject attributes) {
    }

    @Input("CustomerPatchInput")
    @Description("Fields to change; omitted or null fields stay as they are. "
            + "Attributes merge key by key, and a key set to null is removed.")
    public record Patch(String externalId, CustomerType type, String name, String email, String phone,
            Instant registeredAt, Instant lastActiveAt, JsonObject attributes) {
    }

    @Input("CustomerFilter")
    @Description("All given conditions must hold. attributes: each key must equal the given value (compared as text). "
            + "tagsAll / tagsAny / tagsNone: tag keys the customer carries all of, at least one of, none of.")
    public record Filter(CustomerType type, String q, String externalId, String email, String phone,
            Instant createdFrom, Instant createdTo,
            JsonObject attributes, List<String> tagsAll, List<String> tagsAny, List<String> tagsNone, String segment,
            String bucket) {

        /** The filter the services take; a missing filter is {@link CustomerFilter#NONE}. */
        public static CustomerFilter of(Filter f) {
            if (f == null) {
                return CustomerFilter.NONE;
            }
            Map<String, String> attributes = new HashMap<>();
            if (f.attributes() != null) {
                f.attributes().forEach((k, v) -> attributes.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
            }
            return new CustomerFilter(f.type(), f.q(), f.externalId(), f.email(), f.phone(), f.createdFrom(),
                    f.createdTo(), attributes,
                    keys(f.tagsAll()), keys(f.tagsAny()), keys(f.tagsNone()), f.segment(), f.bucket());
        }

        private static Set<String> keys(List<String> keys) {
            return keys == null ? null : keys.stream().filter(Objects::nonNull).collect(Collectors.toSet());
        }
    }
}
