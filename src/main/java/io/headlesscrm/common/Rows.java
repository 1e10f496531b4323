package io.headlesscrm.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.vertx.mutiny.sqlclient.Row;

/** Reading Vert.x SQL client rows and Hibernate Reactive native query results. */
public final class Rows {

    private Rows() {
    }

    /** A {@code timestamptz} column as an Instant (null stays null). */
    public static Instant instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /** A {@code timestamptz} column, by name, as an Instant (null stays null). */
    public static Instant instant(Row r, String column) {
        return instant(r.getDelegate(), column);
    }

    /** The same for a row of the bare (not Mutiny) Vert.x SQL client. */
    public static Instant instant(io.vertx.sqlclient.Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /** A timestamp column of a native query as an Instant, whichever Java type the driver chose. */
    public static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
