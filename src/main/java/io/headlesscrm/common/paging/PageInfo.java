package io.headlesscrm.common.paging;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

/** Relay connection page info. Pagination is forward-only (first/after), so hasPreviousPage says whether after was given. */
@Description("Relay page info; pages forward with first/after")
public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {

    /** The page info of a page whose edges have {@code cursors}, fetched after a cursor or from the start. */
    public static PageInfo of(List<String> cursors, boolean hasNextPage, boolean afterACursor) {
        return new PageInfo(hasNextPage, afterACursor, cursors.isEmpty() ? null : cursors.get(0),
                cursors.isEmpty() ? null : cursors.get(cursors.size() - 1));
    }
}
