package io.headlesscrm.common.paging;

import jakarta.ws.rs.core.UriInfo;

/** Builds the {@code next} link of a REST list: the same request with the cursor moved on. */
public final class PageLinks {

    private PageLinks() {
    }

    public static <T> Page<T> page(Page.Slice<T> slice, UriInfo uri) {
        if (slice.nextCursor() == null) {
            return new Page<>(slice.items(), null, null);
        }
        var next = uri.getRequestUriBuilder().replaceQueryParam("cursor", slice.nextCursor()).build();
        return new Page<>(slice.items(), slice.nextCursor(), next.getRawPath() + "?" + next.getRawQuery());
    }
}
