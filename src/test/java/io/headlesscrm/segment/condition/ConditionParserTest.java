package io.headlesscrm.segment.condition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.property.PropertyScope;
import io.headlesscrm.property.PropertyType;
import io.headlesscrm.property.PropertyView;

/** The parser and the SQL it leads to, as pure logic: no database, no Quarkus. */
class ConditionParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<PropertyView> DECLARED = List.of(
            declared(PropertyScope.CUSTOMER, null, "tier", PropertyType.ENUM, List.of("gold", "silver")),
            declared(PropertyScope.CUSTOMER, null, "vip", PropertyType.BOOLEAN, null),
            declared(PropertyScope.CUSTOMER, null, "birthday", PropertyType.TIMESTAMP, null),
            declared(PropertyScope.EVENT, "order", "amount", PropertyType.NUMBER, null),
            declared(PropertyScope.EVENT, null, "channel", PropertyType.STRING, null));

    private static PropertyView declared(PropertyScope scope, String type, String name, PropertyType t, List<String> v) {
        return new PropertyView(UUID.randomUUID(), scope, type, name, t, v, null, Instant.now());
    }

    private static ConditionParser parsed(String json) throws Exception {
        ConditionParser parser = new ConditionParser(DECLARED, java.util.Map.of());
        parser.parse(JSON.readTree(json));
        return parser;
    }

    private static String sql(String json) throws Exception {
        ConditionParser parser = new ConditionParser(DECLARED, java.util.Map.of());
        Condition c = parser.parse(JSON.readTree(json));
        assertThat(parser.errors()).isEmpty();
        return ConditionSql.of(c);
    }

    private static List<String> pointers(String json) throws Exception {
        return parsed(json).errors().stream().map(FieldError::pointer).toList();
    }

    @Test
    void everyBadNodeIsReportedWithItsPointer() throws Exception {
        assertThat(pointers("{\"and\": [{\"attr\": \"tier\", \"op\": \"eq\", \"value\": \"bronze\"},"
                + " {\"attr\": \"vip\", \"op\": \"gt\", \"value\": true},"
                + " {\"attr\": \"birthday\", \"op\": \"between\", \"value\": [\"2020-01-01T00:00:00Z\", \"soon\"]},"
                + " {\"event\": {\"type\": \"order\", \"agg\": \"sum\", \"prop\": \"channel\", \"within\": \"P1D\","
                + " \"op\": \"gt\", \"value\": 1}},"
                + " {\"event\": {\"type\": \"view\", \"where\": [{\"prop\": \"amount\", \"op\": \"gt\", \"value\": 1}],"
                + " \"within\": \"P1D\", \"op\": \"in\", \"value\": 1}}]}"))
                .containsExactly("/and/0/value", "/and/1/op", "/and/2/value/1", "/and/3/event/prop",
                        "/and/4/event/where/0/prop", "/and/4/event/op");
        assertThat(pointers("{\"or\": []}")).containsExactly("/or");
        assertThat(pointers("[1]")).containsExactly("");
        assertThat(pointers("{\"not\": {\"tags\": {\"some\": [\"a\"]}}}")).containsExactly("/not/tags");
    }

    @Test
    void valuesAreInlinedByTypeAndStringsCannotBreakOut() throws Exception {
        assertThat(sql("{\"attr\": \"name\", \"op\": \"eq\", \"value\": \"O'Brien\\\\'); --\"}"))
                .isEqualTo("c.name = 'O''Brien\\''); --'");
        assertThat(sql("{\"attr\": \"vip\", \"op\": \"eq\", \"value\": true}"))
                .contains("THEN (c.attributes->>'vip')::boolean END) = true");
        assertThat(sql("{\"attr\": \"email\", \"op\": \"exists\", \"value\": false}")).isEqualTo("c.email IS NULL");
        assertThat(sql("{\"attr\": \"registeredAt\", \"op\": \"before\", \"value\": \"P90D\"}"))
                .isEqualTo("c.registered_at < now() - interval 'PT2160H'");
        assertThat(sql("{\"attr\": \"tier\", \"op\": \"in\", \"value\": [\"gold\", \"silver\"]}"))
                .isEqualTo("(c.attributes->>'tier') IN ('gold', 'silver')");
    }

    @Test
    void aggregatesThatZeroSatisfiesIncludeCustomersWithoutEvents() throws Exception {
        assertThat(sql("{\"event\": {\"type\": \"order\", \"within\": \"P7D\", \"op\": \"lt\", \"value\": 2}}"))
                .startsWith("c.id NOT IN (").endsWith("HAVING NOT (count(*) < 2))");
        assertThat(sql("{\"event\": {\"type\": \"order\", \"within\": \"P7D\", \"op\": \"gte\", \"value\": 2}}"))
                .startsWith("c.id IN (").endsWith("HAVING count(*) >= 2)");
        assertThat(sql("{\"event\": {\"type\": \"order\", \"agg\": \"max\", \"prop\": \"amount\", \"from\":"
                + " \"2026-01-01T00:00:00Z\", \"to\": \"2026-02-01T00:00:00Z\", \"op\": \"lt\", \"value\": 10}}"))
                .startsWith("c.id IN (").contains("e.occurred_at >= '2026-01-01T00:00:00Z'::timestamptz");
    }
}
