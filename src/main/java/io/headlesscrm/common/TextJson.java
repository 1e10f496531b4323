package io.headlesscrm.common;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Every text a JSON body carries (strings, field names, free-form JSON) is checked by {@link Text#storable} as it
 * is read, so text PostgreSQL cannot store is a 400 {@code invalid-text} naming its field, never a 500 or a
 * silently altered value. Bodies whose items are checked one by one (event batches) read them with
 * {@link Unchecked} and check each item themselves.
 */
@Singleton
public class TextJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("text")
                .addDeserializer(String.class, new CheckedString())
                .addKeyDeserializer(String.class, new CheckedKey())
                .addDeserializer(JsonNode.class, new CheckedTree())
                .addDeserializer(Object.class, new CheckedUntyped()));
    }

    private static JsonMappingException refused(JsonParser p, Object value, Deque<Object> inside) {
        InvalidFormatException e = InvalidFormatException.from(p, Text.RULE, value, String.class);
        for (var it = inside.descendingIterator(); it.hasNext();) {
            Object ref = it.next();
            if (ref instanceof Integer index) {
                e.prependPath(value, index);
            } else {
                e.prependPath(value, (String) ref);
            }
        }
        return e;
    }

    static final class CheckedString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = super.deserialize(p, ctxt);
            if (text != null && !Text.storable(text)) {
                throw refused(p, text, new ArrayDeque<>());
            }
            return text;
        }
    }

    static final class CheckedKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (!Text.storable(key)) {
                throw refused(ctxt.getParser(), key, new ArrayDeque<>());
            }
            return key;
        }
    }

    /**
     * These deserializers keep no state, so Jackson may cache them: a custom deserializer is not cached by default,
     * and then each read of a map or a list of untyped values (a customer's attributes) built its deserializers anew.
     */
    private abstract static class Stateless<T> extends StdDeserializer<T> {
        Stateless(Class<T> type) {
            super(type);
        }

        @Override
        public boolean isCachable() {
            return true;
        }
    }

    static final class CheckedTree extends Stateless<JsonNode> {
        CheckedTree() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(p, ctxt);
            Deque<Object> bad = Text.unstorable(node);
            if (bad != null) {
                throw refused(p, node, bad);
            }
            return node;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return ctxt.getNodeFactory().nullNode();
        }
    }

    static final class CheckedUntyped extends Stateless<Object> {
        CheckedUntyped() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            Deque<Object> bad = Text.unstorable(node);
            if (bad != null) {
                throw refused(p, node, bad);
            }
            return plain(node);
        }

        /** The tree as Jackson reads untyped JSON: maps, lists, strings, numbers, booleans and null. */
        private static Object plain(JsonNode node) {
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(plain(item)));
                return list;
            }
            return node.isTextual() ? node.textValue() : node.isNumber() ? node.numberValue()
                    : node.isBoolean() ? node.booleanValue() : null;
        }
    }

    /** The plain tree, unchecked: for items a caller checks one by one, so one bad item does not refuse the rest. */
    public static final class Unchecked extends Stateless<JsonNode> {
        public Unchecked() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(p, ctxt);
        }
    }
}
