package io.headlesscrm.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;


/**
 * The one way a checked value is written into SQL as a literal, where a compiled predicate (a segment condition) is
 * composed into larger statements and cannot carry bind parameters along. With standard_conforming_strings (on since
 * PostgreSQL 9.1) a quote doubled is the only escape a string needs; text PostgreSQL cannot store is refused.
 */
public final class SqlLiteral {

    private SqlLiteral() {
    }

    public static String text(String value) {
        if (!Text.storable(value)) {
            throw new IllegalArgumentException("text PostgreSQL cannot store");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    public static String texts(Collection<String> values) {
        return values.stream().map(SqlLiteral::text).collect(Collectors.joining(", "));
    }

    public static String id(UUID value) {
        return "'" + value + "'::uuid";
    }

    public static String number(BigDecimal value) {
        return value.toPlainString();
    }

    public static String instant(Instant value) {
        return "'" + value + "'::timestamptz";
    }

    /** An interval in ISO 8601 form, which PostgreSQL reads as such. */
    public static String interval(Duration value) {
        return "interval '" + value + "'";
    }
}
