package io.headlesscrm.customer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.eclipse.microprofile.graphql.Enum;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;

/** The orders a customer list can be read in; each is a keyset over (sort key, id). */
@Enum("CustomerOrder")
public enum CustomerSort {
    CREATED_AT("createdAt", "c.createdAt", false),
    CREATED_AT_DESC("-createdAt", "c.createdAt", true),
    NAME("name", "c.name", false),
    NAME_DESC("-name", "c.name", true);

    private final String param;
    private final String column;
    private final boolean descending;

    CustomerSort(String param, String column, boolean descending) {
        this.param = param;
        this.column = column;
        this.descending = descending;
    }

    public String param() {
        return param;
    }

    static CustomerSort fromParam(String value) {
        if (value == null || value.isBlank()) {
            return CREATED_AT;
        }
        return Arrays.stream(values()).filter(s -> s.param.equals(value)).findFirst()
                .orElseThrow(() -> ProblemException.badRequest("invalid-parameter", "sort", "sort must be one of "
                        + Arrays.stream(values()).map(s -> s.param).collect(Collectors.joining(", "))));
    }

    String orderBy() {
        String dir = descending ? " desc" : "";
        return " order by " + column + dir + ", c.id" + dir;
    }

    /** The keyset condition "after the cursor row" in this order. */
    String after() {
        return "(" + column + ", c.id) " + (descending ? "<" : ">") + " (:cursorKey, :cursorId)";
    }

    Cursor cursorOf(CustomerView c) {
        String key = this == NAME || this == NAME_DESC ? c.name() : c.createdAt().toString();
        return new Cursor(param, key, c.id());
    }

    Object keyOf(Cursor cursor) {
        if (this == NAME || this == NAME_DESC) {
            return cursor.key();
        }
        try {
            return Instant.parse(cursor.key());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad cursor key", e);
        }
    }
}
