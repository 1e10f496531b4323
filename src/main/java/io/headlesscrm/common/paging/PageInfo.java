package io.headlesscrm.common.paging;

import org.eclipse.microprofile.graphql.Description;

/** Relay connection page info. Pagination is forward-only (first/after), so hasPreviousPage says whether after was given. */
@Description("Relay page info; pages forward with first/after")
public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
}
