package io.headlesscrm.property;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.FieldError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The declared properties a write must respect, read fresh for each write (one indexed query), so a definition
 * made on any instance applies at once everywhere. Undeclared properties pass unchecked.
 */
@ApplicationScoped
public class PropertyCatalog {

    @Inject
    Pool pool;

    /** The declarations that apply to a set of values: by name, for one event type (or for customers). */
    public record Declarations(List<PropertyView> all) {

        /** Each declared property among {@code values} whose value has the wrong type, as {@code prefix.name}. */
        public List<FieldError> check(String prefix, String eventType, Map<String, Object> values) {
            List<FieldError> errors = new ArrayList<>();
            if (values == null || values.isEmpty()) {
                return errors;
            }
            for (PropertyView p : all) {
                if (p.eventType() != null && !p.eventType().equals(eventType)) {
                    continue;
                }
                Object value = values.get(p.name());
                String why = value == null ? null : p.type().mismatch(value, p.values());
                if (why != null) {
                    errors.add(new FieldError(prefix + "." + p.name(), why + " (declared " + p.type() + ")"));
                }
            }
            return errors;
        }
    }

    /** Every declaration: what a condition may name. */
    public Uni<Declarations> all() {
        return pool.preparedQuery("SELECT " + PropertyView.COLUMNS + " FROM property_definition").execute()
                .map(PropertyCatalog::declarations);
    }

    public Uni<Declarations> customerAttributes() {
        return pool.preparedQuery("SELECT " + PropertyView.COLUMNS + " FROM property_definition WHERE scope = 'CUSTOMER'")
                .execute().map(PropertyCatalog::declarations);
    }

    /** Whether {@code name} is a declared customer attribute, as a segment condition's attr must be. */
    public Uni<Boolean> declaresCustomerAttribute(String name) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM property_definition WHERE scope = 'CUSTOMER'"
                + " AND name = $1)").execute(Tuple.of(name)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The event properties declared for any of {@code eventTypes} or for every type. */
    public Uni<Declarations> eventProperties(Collection<String> eventTypes) {
        return pool.preparedQuery("SELECT " + PropertyView.COLUMNS + " FROM property_definition WHERE scope = 'EVENT'"
                + " AND event_type = ANY($1)").execute(Tuple.of(eventTypesAndAny(eventTypes)))
                .map(PropertyCatalog::declarations);
    }

    private static String[] eventTypesAndAny(Collection<String> eventTypes) {
        List<String> types = new ArrayList<>(eventTypes);
        types.add("");
        return types.toArray(String[]::new);
    }

    private static Declarations declarations(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<PropertyView> all = new ArrayList<>();
        rows.forEach(r -> all.add(PropertyView.of(r)));
        return new Declarations(all);
    }
}
