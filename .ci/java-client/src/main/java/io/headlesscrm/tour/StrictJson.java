package io.headlesscrm.tour;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.impl.NullsFailProvider;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openapitools.jackson.nullable.JsonNullable;

/**
 * Makes the generated client's ObjectMapper refuse any response that does not match the OpenAPI document, where
 * the generated defaults accept it silently: an undocumented field, a {@code null} in a field the document does
 * not declare nullable, a missing {@code required} field, or a scalar of another JSON type ({@code "1"} for an
 * integer, {@code 1} for a string). Unknown enum values already fail in the generated enums' {@code fromValue}.
 *
 * <p>Nullability is read from what the generator made of the document: with {@code openApiNullable} an optional
 * nullable field is a {@link JsonNullable}, a required nullable one carries {@code @jakarta.annotation.Nullable}
 * on its field; every other field of a generated model refuses {@code null}.
 */
public final class StrictJson {
    private static final String MODEL_PACKAGE = "io.headlesscrm.client.model.";

    private StrictJson() {
    }

    /** Applies the rules to the mapper (the one from {@code ApiClient.createDefaultObjectMapper()}) and returns it. */
    public static ObjectMapper strict(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("crm-strict").setDeserializerModifier(new Modifier()));
        return mapper;
    }

    private static boolean generated(BeanDescription bean) {
        return bean.getBeanClass().getName().startsWith(MODEL_PACKAGE);
    }

    private static boolean declaredNullable(BeanDescription bean, SettableBeanProperty property) {
        if (JsonNullable.class.isAssignableFrom(property.getType().getRawClass())) {
            return true;
        }
        return bean.findProperties().stream()
                .filter(p -> p.getName().equals(property.getName()) && p.isRequired() && p.getField() != null)
                .anyMatch(p -> p.getField().hasAnnotation(jakarta.annotation.Nullable.class));
    }

    private static final class Modifier extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                BeanDeserializerBuilder builder) {
            if (!generated(bean)) {
                return builder;
            }
            List<SettableBeanProperty> properties = new ArrayList<>();
            builder.getProperties().forEachRemaining(properties::add);
            for (SettableBeanProperty property : properties) {
                if (!declaredNullable(bean, property)) {
                    builder.addOrReplaceProperty(
                            property.withNullProvider(NullsFailProvider.constructForProperty(property)), true);
                }
            }
            return builder;
        }

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                JsonDeserializer<?> deserializer) {
            if (!generated(bean)) {
                return deserializer;
            }
            List<BeanPropertyDefinition> required = bean.findProperties().stream()
                    .filter(p -> p.isRequired() && p.getGetter() != null && p.getField() != null
                            && p.getField().hasAnnotation(jakarta.annotation.Nonnull.class))
                    .toList();
            return required.isEmpty() ? deserializer : new RequiredCheck(deserializer, bean, required);
        }
    }

    /** Jackson enforces {@code required} only for creator parameters; the generated models use setters. */
    private static final class RequiredCheck extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;
        private final transient BeanDescription bean;
        private final transient List<BeanPropertyDefinition> required;

        RequiredCheck(JsonDeserializer<?> delegate, BeanDescription bean, List<BeanPropertyDefinition> required) {
            super(delegate);
            this.bean = bean;
            this.required = required;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new RequiredCheck(newDelegatee, bean, required);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = super.deserialize(parser, context);
            if (value != null) {
                for (BeanPropertyDefinition property : required) {
                    AnnotatedMember getter = property.getGetter();
                    if (getter.getValue(value) == null) {
                        return context.reportInputMismatch(this, "Required property '%s' of %s is missing",
                                property.getName(), bean.getBeanClass().getSimpleName());
                    }
                }
            }
            return value;
        }
    }
}
