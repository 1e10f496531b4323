package io.headlesscrm.common;

import java.util.UUID;
import java.util.regex.Pattern;

import io.headlesscrm.common.error.ProblemException;

/**
 * The one parser of resource ids given by clients: in paths, query parameters, bodies and GraphQL arguments. A
 * malformed id is a 400 {@code invalid-id} naming where it was, the same problem on every surface.
 */
public final class Ids {

    // canonical form only: UUID.fromString also takes "1-1-1-1-1" and would make it a different id
    private static final Pattern CANONICAL = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /** The id in {@code value}, or a 400 {@code invalid-id} naming {@code field}; null stays null. */
    public static UUID parse(String value, String field) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (!CANONICAL.matcher(trimmed).matches()) {
            throw invalid(field);
        }
        return UUID.fromString(trimmed);
    }

    public static ProblemException invalid(String field) {
        return ProblemException.badRequest("invalid-id", field,
                "'" + field + "' must be an id this API issued, a UUID such as 5f0c6a1e-8f3b-4c1d-9a7e-2b6d4e8f1a3c");
    }
}
