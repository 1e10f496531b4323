package io.headlesscrm.common;

import java.io.IOException;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.headlesscrm.common.error.ProblemException;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Ids in JSON bodies are parsed by {@link Ids#parse} too (Jackson alone also takes base64 forms); a malformed one
 * fails as a Jackson format error at its JSON path, which the problem mapper reports as {@code invalid-id}.
 */
@Singleton
public class IdJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("ids").addDeserializer(UUID.class, new IdDeserializer()));
    }

    static final class IdDeserializer extends StdScalarDeserializer<UUID> {

        IdDeserializer() {
            super(UUID.class);
        }

        @Override
        public UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (UUID) ctxt.handleUnexpectedToken(UUID.class, p);
            }
            String text = p.getText();
            try {
                return Ids.parse(text, "id");
            } catch (ProblemException e) {
                return (UUID) ctxt.handleWeirdStringValue(UUID.class, text, "not an id");
            }
        }
    }
}
