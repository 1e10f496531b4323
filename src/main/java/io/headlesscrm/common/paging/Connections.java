package io.headlesscrm.common.paging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.eclipse.microprofile.graphql.GraphQLException;

import io.headlesscrm.common.error.ProblemException;

/**
 * Builds every Relay connection from a page: one edge per item with its cursor, and the page info. Each feature
 * keeps its own two records (a {@code @Type("TagConnection")} and a {@code @Type("TagEdge")}) because SmallRye
 * GraphQL names a generic class's types after their argument ({@code Connection_Tag}), which would rename the
 * published types; the records only hold the data, this class the logic.
 */
public final class Connections {

    private Connections() {
    }

    /** The page a connection query asks for: at most {@code limit} items after {@code after} (null: from the start). */
    public record Request(int limit, Cursor after) {
    }

    /**
     * Checks a query's {@code first} and {@code after}; a bad one is a GraphQL error carrying the problem's message
     * (a client error, so not logged as a server failure).
     */
    public static Request request(PageConfig paging, Integer first, Keyset keyset, String after) throws GraphQLException {
        try {
            return new Request(paging.limit(first, "first"), keyset.fromParam(after, "after"));
        } catch (ProblemException e) {
            throw new GraphQLException(e.getMessage());
        }
    }

    /**
     * The connection of {@code slice}, fetched after {@code after} (null: from the start).
     *
     * @param cursorOf   an item's cursor, as the list's keyset encodes it
     * @param edge       the feature's edge record's constructor (cursor, node)
     * @param connection the feature's connection record's constructor (edges, page info)
     */
    public static <T, E, C> C of(Page.Slice<T> slice, Cursor after, Function<T, Cursor> cursorOf,
            BiFunction<String, T, E> edge, BiFunction<List<E>, PageInfo, C> connection) {
        List<String> cursors = new ArrayList<>(slice.items().size());
        List<E> edges = new ArrayList<>(slice.items().size());
        for (T item : slice.items()) {
            String cursor = cursorOf.apply(item).encode();
            cursors.add(cursor);
            edges.add(edge.apply(cursor, item));
        }
        return connection.apply(edges, PageInfo.of(cursors, slice.nextCursor() != null, after != null));
    }
}
