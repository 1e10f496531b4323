package io.headlesscrm.common.paging;

import java.time.Instant;
import java.util.UUID;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.Text;

/**
 * The type of a keyset's sort key. A cursor's key is parsed into it when the cursor is decoded, so a forged
 * cursor fails there, as a 400, and never later in SQL.
 */
public enum KeyType {
    INSTANT {
        @Override
        Object parse(String key) {
            Instant at = Instant.parse(key);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) { // beyond what PostgreSQL's timestamptz holds
                throw new IllegalArgumentException("instant out of range");
            }
            return at;
        }
    },
    STRING {
        @Override
        Object parse(String key) {
            if (!Text.storable(key)) {
                throw new IllegalArgumentException("not storable text");
            }
            return key;
        }
    },
    ID {
        @Override
        Object parse(String key) {
            UUID id = Ids.parse(key, "cursor");
            return id;
        }
    };

    /** The instants a key (or a time filter) may hold: years 1 to 9999, well inside PostgreSQL's range. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The key in its type; any failure (IllegalArgumentException, DateTimeParseException, ...) means forged. */
    abstract Object parse(String key);
}
