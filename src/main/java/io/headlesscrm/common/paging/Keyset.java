package io.headlesscrm.common.paging;

import java.util.UUID;

/**
 * One order a list can be read in, as a keyset: a sort key of a known type and the row id as tie-breaker (or the
 * id alone, when the list is ordered by id). A list declares its keysets once; they decode the list's cursors,
 * make the cursor of a row, and give {@link KeysetQuery} its "after the cursor" condition and order.
 *
 * @param sort the name a cursor carries (and a client may give as {@code sort}), e.g. {@code -createdAt}
 * @param keyColumn the sort key's column in the feature's query; null when the list is ordered by id alone
 * @param idColumn the id column, the tie-breaker
 */
public record Keyset(String sort, KeyType keyType, String keyColumn, String idColumn, boolean descending) {

    /** A list ordered by its (time-ordered UUIDv7) id alone. */
    public static Keyset byId(String sort, String idColumn, boolean descending) {
        return new Keyset(sort, KeyType.ID, null, idColumn, descending);
    }

    /** The cursor a client gave for this order: absent or empty means the first page (null). */
    public Cursor fromParam(String encoded, String field) {
        return encoded == null || encoded.isEmpty() ? null : Cursor.decode(encoded, this, field);
    }

    /** The cursor of a row whose sort key is {@code key} (ignored when ordered by id alone). */
    public Cursor cursor(Object key, UUID id) {
        return new Cursor(sort, keyColumn == null ? id : key, id);
    }

    String orderBy() {
        String direction = descending ? " DESC" : "";
        return keyColumn == null ? idColumn + direction : keyColumn + direction + ", " + idColumn + direction;
    }
}
