package io.headlesscrm.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headlesscrm.client.ApiClient;
import io.headlesscrm.client.model.Customer;
import io.headlesscrm.client.model.CustomerInput;
import io.headlesscrm.client.model.CustomerType;
import org.junit.jupiter.api.Test;

/** The strict mapper refuses what the generated defaults let through (no service needed). */
class StrictJsonTest {
    /** A customer with every field the service always sends, and {@code %s} for one more. */
    private static final String CUSTOMER = """
            {"id": "0193a6a2-5a4e-7b1c-9d2e-3f4a5b6c7d8e", "type": "ENTERPRISE", "name": "Acme", "attributes": {"tier": "gold"},
             "createdAt": "2026-11-20T18:05:00Z", "updatedAt": "2026-11-20T18:05:00Z", "version": 3%s}""";

    private final ObjectMapper lenient = ApiClient.createDefaultObjectMapper();
    private final ObjectMapper strict = StrictJson.strict(ApiClient.createDefaultObjectMapper());

    @Test
    void readsADocumentedCustomer() throws JsonProcessingException {
        Customer c = strict.readValue(CUSTOMER.formatted(", \"email\": \"acme@example.com\""), Customer.class);
        assertEquals(CustomerType.ENTERPRISE, c.getType());
        assertEquals(3L, c.getVersion());
        assertEquals("gold", c.getAttributes().get("tier"));
    }

    @Test
    void refusesAnUndocumentedField() throws JsonProcessingException {
        refusedOnlyWhenStrict(CUSTOMER.formatted(", \"nickname\": \"A\""), Customer.class);
    }

    @Test
    void refusesNullInAFieldNotDeclaredNullable() throws JsonProcessingException {
        refusedOnlyWhenStrict(CUSTOMER.formatted(", \"email\": null"), Customer.class);
    }

    @Test
    void refusesAMissingRequiredField() throws JsonProcessingException {
        refusedOnlyWhenStrict("{\"email\": \"a@example.com\"}", CustomerInput.class);
    }

    @Test
    void refusesAScalarOfAnotherType() throws JsonProcessingException {
        refusedOnlyWhenStrict(CUSTOMER.formatted(", \"email\": 42"), Customer.class);
        refusedOnlyWhenStrict(CUSTOMER.replace("\"version\": 3", "\"version\": \"3\"").formatted(""), Customer.class);
    }

    @Test
    void refusesAnUndocumentedEnumValue() {
        String json = CUSTOMER.replace("ENTERPRISE", "GOVERNMENT").formatted("");
        assertThrows(JsonProcessingException.class, () -> lenient.readValue(json, Customer.class));
        assertThrows(JsonProcessingException.class, () -> strict.readValue(json, Customer.class));
    }

    private void refusedOnlyWhenStrict(String json, Class<?> type) throws JsonProcessingException {
        lenient.readValue(json, type);
        assertThrows(JsonProcessingException.class, () -> strict.readValue(json, type));
    }
}
