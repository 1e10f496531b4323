package io.headlesscrm.property;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The type of a declared property, and whether a JSON value has it. */
public enum PropertyType {
    STRING, NUMBER, BOOLEAN, TIMESTAMP, ENUM;

    /** Why {@code value} (as Jackson reads JSON) is not of this type; null when it is. */
    String mismatch(Object value, List<String> values) {
        return switch (this) {
            case STRING -> value instanceof String ? null : "must be a string";
            case NUMBER -> value instanceof Number ? null : "must be a number";
            case BOOLEAN -> value instanceof Boolean ? null : "must be true or false";
            case TIMESTAMP -> value instanceof String s && isTimestamp(s) ? null
                    : "must be an ISO-8601 timestamp with an offset, e.g. 2026-11-24T09:30:00Z";
            case ENUM -> value instanceof String s && values.contains(s) ? null : "must be one of " + values;
        };
    }

    private static boolean isTimestamp(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
