package io.headlesscrm.common.paging;

import java.util.List;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a keyset-paginated list, the shape every REST list answers with. {@code next} is the path of
 * the next page (absent on the last page, as is {@code nextCursor}).
 */
public record Page<T>(@Schema(required = true) List<T> items, String nextCursor, String next) {

    /** A slice fetched with {@code limit + 1} rows: the extra row only says that another page exists. */
    public static <E> Slice<E> slice(List<E> rows, int limit, Function<E, Cursor> cursorOf) {
        boolean more = rows.size() > limit;
        List<E> items = more ? rows.subList(0, limit) : rows;
        return new Slice<>(items, more ? cursorOf.apply(items.get(items.size() - 1)).encode() : null);
    }

    public record Slice<E>(List<E> items, String nextCursor) {
    }
}
