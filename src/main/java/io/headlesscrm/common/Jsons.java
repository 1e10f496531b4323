package io.headlesscrm.common;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writing our own values as JSON with the application's (injected) mapper. They always serialise, so Jackson's
 * checked exception becomes an {@link IllegalStateException} here once rather than in a private helper per class.
 */
public final class Jsons {

    private Jsons() {
    }

    /** {@code value} as JSON text (null as {@code "null"}, as Jackson writes it). */
    public static String text(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@code value} as UTF-8 JSON. */
    public static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a " + value.getClass().getSimpleName(), e);
        }
    }

    /** A Jackson object as the JSON-P object SmallRye GraphQL's JSON scalars take; null for null. */
    public static JsonObject jsonp(ObjectMapper mapper, JsonNode node) {
        return node == null ? null : Json.createReader(new StringReader(text(mapper, node))).readObject();
    }
}
