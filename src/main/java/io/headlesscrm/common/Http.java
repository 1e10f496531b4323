package io.headlesscrm.common;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.KeyType;

/** Parsing of HTTP headers and query parameters, with a 400 that names the offending one. */
public final class Http {

    private Http() {
    }

    /** The version in an {@code If-Match} ETag ({@code "3"} or {@code W/"3"}); null for absent or {@code *}. */
    public static Long ifMatchVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid-header", "If-Match",
                    "If-Match must be an ETag this API issued, such as \"3\"");
        }
    }

    public static Integer intParam(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid-parameter", name, "'" + name + "' must be an integer");
        }
    }

    public static Boolean booleanParam(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest("invalid-parameter", name, "'" + name + "' must be true or false");
        };
    }

    public static Instant instantParam(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant at = Instant.parse(value.trim());
            if (at.isBefore(KeyType.EARLIEST) || at.isAfter(KeyType.LATEST)) {
                throw new DateTimeParseException("out of range", value, 0);
            }
            return at;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-parameter", name,
                    "'" + name + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    public static <E extends Enum<E>> E enumParam(Class<E> type, String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", name,
                    "'" + name + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
