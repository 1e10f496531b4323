package io.headlesscrm.segment.condition;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.property.PropertyScope;
import io.headlesscrm.property.PropertyType;
import io.headlesscrm.property.PropertyView;
import io.headlesscrm.segment.condition.Condition.Kind;
import io.headlesscrm.segment.condition.Condition.Operand;

/**
 * What a name in a condition reads, as SQL with its type: a customer field, a declared customer attribute, a declared
 * property of an event type, or a field of an event's items. Pure: the declared properties are given. A name it does
 * not know is null, for the parser to report.
 */
final class ConditionOperands {

    private static final Map<String, Operand> FIELDS = Map.of("type", new Operand("c.type", Kind.STRING),
            "name", new Operand("c.name", Kind.STRING), "email", new Operand("c.email", Kind.STRING),
            "phone", new Operand("c.phone", Kind.STRING), "externalId", new Operand("c.external_id", Kind.STRING),
            "registeredAt", new Operand("c.registered_at", Kind.TIMESTAMP),
            "lastActiveAt", new Operand("c.last_active_at", Kind.TIMESTAMP),
            "createdAt", new Operand("c.created_at", Kind.TIMESTAMP));
    // an event's items (EventInput.Item), as where conditions on "item.<field>" read them: all such conditions of
    // one event condition hold for the same item
    private static final Map<String, Operand> ITEM_FIELDS = Map.of("item.sku", itemText("sku"), "item.name",
            itemText("name"), "item.category", itemText("category"), "item.price", itemNumber("price"), "item.quantity",
            itemNumber("quantity"));

    private final List<PropertyView> declared;

    ConditionOperands(List<PropertyView> declared) {
        this.declared = declared;
    }

    /** A customer field or declared customer attribute; null if {@code name} is neither. */
    Operand customer(String name) {
        return FIELDS.containsKey(name) ? FIELDS.get(name) : declared(name, PropertyScope.CUSTOMER, null, "c.attributes");
    }

    /** A property declared for events of {@code type} (or for every event type); null if none is. */
    Operand event(String name, String type) {
        return declared(name, PropertyScope.EVENT, type, "e.properties");
    }

    /** A field of an event's items, named {@code item.<field>}; null if there is no such field. */
    Operand item(String name) {
        return ITEM_FIELDS.get(name);
    }

    /** The names {@link #item} knows, in order. */
    static Set<String> itemFields() {
        return new TreeSet<>(ITEM_FIELDS.keySet());
    }

    /** The values an ENUM property allows; null for any other property, or none. */
    List<String> enumValues(String name, PropertyScope scope, String eventType) {
        PropertyView p = declaration(name, scope, eventType);
        return p != null && p.type() == PropertyType.ENUM ? p.values() : null;
    }

    private static Operand itemText(String field) {
        return new Operand("(it.v->>" + SqlLiteral.text(field) + ")", Kind.STRING);
    }

    private static Operand itemNumber(String field) {
        return new Operand("(CASE WHEN jsonb_typeof(it.v->" + SqlLiteral.text(field) + ") = 'number' THEN (it.v->>"
                + SqlLiteral.text(field) + ")::numeric END)", Kind.NUMBER);
    }

    private Operand declared(String name, PropertyScope scope, String eventType, String column) {
        PropertyView p = declaration(name, scope, eventType);
        if (p == null) {
            return null;
        }
        String raw = "(" + column + "->>" + SqlLiteral.text(name) + ")";
        String json = "jsonb_typeof(" + column + "->" + SqlLiteral.text(name) + ")";
        // values stored before a declaration may have another type: they compare as absent, never fail the query
        return switch (p.type()) {
            case STRING, ENUM -> new Operand(raw, Kind.STRING);
            case NUMBER -> new Operand("(CASE WHEN " + json + " = 'number' THEN " + raw + "::numeric END)", Kind.NUMBER);
            case BOOLEAN -> new Operand("(CASE WHEN " + json + " = 'boolean' THEN " + raw + "::boolean END)", Kind.BOOLEAN);
            case TIMESTAMP -> new Operand("(CASE WHEN " + raw + " ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$'"
                    + " THEN " + raw + "::timestamptz END)", Kind.TIMESTAMP);
        };
    }

    /** The declaration for {@code eventType} if there is one, else the one for every event type (or a customer's). */
    private PropertyView declaration(String name, PropertyScope scope, String eventType) {
        PropertyView any = null;
        for (PropertyView p : declared) {
            if (p.scope() == scope && p.name().equals(name)) {
                if (eventType != null && eventType.equals(p.eventType())) {
                    return p;
                }
                if (p.eventType() == null) {
                    any = p;
                }
            }
        }
        return any;
    }
}
