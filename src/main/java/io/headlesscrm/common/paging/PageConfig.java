package io.headlesscrm.common.paging;

import io.headlesscrm.common.error.ProblemException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "crm.page")
public interface PageConfig {

    /** Page size when the client gives none. */
    @WithDefault("20")
    int defaultLimit();

    /** Largest page a client may ask for. */
    @WithDefault("100")
    int maxLimit();

    /** Up to how many matches a list's total is counted exactly; past it the total is a lower bound, and says so. */
    @WithDefault("10000")
    int exactCountLimit();

    /** The page size to use for a requested {@code limit} (or GraphQL {@code first}); out of range is a 400. */
    default int limit(Integer requested, String field) {
        if (requested == null) {
            return defaultLimit();
        }
        if (requested < 1 || requested > maxLimit()) {
            throw ProblemException.badRequest("invalid-parameter", field,
                    "'" + field + "' must be between 1 and " + maxLimit());
        }
        return requested;
    }
}
