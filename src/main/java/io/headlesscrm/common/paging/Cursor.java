package io.headlesscrm.common.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.headlesscrm.common.error.ProblemException;

/**
 * An opaque keyset position: the sort it belongs to, the last row's sort key and its id (the tie-breaker).
 * Clients must treat it as opaque; it is base64url so it travels in a query string untouched.
 */
public record Cursor(String sort, String key, UUID id) {

    private static final String VERSION = "v1";

    public String encode() {
        String raw = String.join("\n", VERSION, sort, key, id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor parameter as given by a client: absent or empty means the first page (null). */
    public static Cursor fromParam(String encoded, String expectedSort, String field) {
        return encoded == null || encoded.isEmpty() ? null : decode(encoded, expectedSort, field);
    }

    /** Decodes a cursor issued for {@code expectedSort}; anything else is a 400 naming {@code field}. */
    public static Cursor decode(String encoded, String expectedSort, String field) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            if (!parts[1].equals(expectedSort)) {
                throw ProblemException.badRequest("invalid-cursor", field,
                        "The cursor belongs to sort '" + parts[1] + "', not '" + expectedSort + "'");
            }
            return new Cursor(parts[1], parts[2], UUID.fromString(parts[3]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-cursor", field,
                    "The cursor is not one this API issued; use the nextCursor of a previous page");
        }
    }
}
