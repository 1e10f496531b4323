package io.headlesscrm.common;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/** Reading Vert.x SQL client rows. */
public final class Rows {

    private Rows() {
    }

    /** A {@code timestamptz} column as an Instant (null stays null). */
    public static Instant instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
