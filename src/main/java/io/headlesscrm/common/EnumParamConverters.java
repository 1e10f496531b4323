package io.headlesscrm.common;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * A parameter declared as an enum is read by {@link Http#enumParam}, as the parameters read as text are: case aside,
 * an unknown value is the 400 {@code invalid-parameter} naming the parameter and its values (JAX-RS alone answers a
 * 404 for it, as {@code /customer-duplicates?by=NAME} once did).
 */
@Provider
public class EnumParamConverters implements ParamConverterProvider {

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (!rawType.isEnum()) {
            return null;
        }
        String name = IdParamConverters.nameOf(annotations);
        Class<? extends Enum> type = (Class<? extends Enum>) rawType;
        return new ParamConverter<T>() {
            @Override
            public T fromString(String value) {
                return (T) Http.enumParam(type, value, name);
            }

            @Override
            public String toString(T value) {
                return ((Enum<?>) value).name();
            }
        };
    }
}
