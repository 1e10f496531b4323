package io.headlesscrm.common.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.headlesscrm.common.error.ProblemException;

/**
 * An opaque keyset position: the sort it belongs to, the last row's sort key (typed: an Instant, a String or a
 * UUID, as its {@link Keyset} says) and its id (the tie-breaker). Clients must treat it as opaque; it is base64url
 * so it travels in a query string untouched.
 */
public record Cursor(String sort, Object key, UUID id) {

    private static final String VERSION = "v1";

    public String encode() {
        String raw = String.join("\n", VERSION, sort, key.toString(), id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor issued for {@code keyset}, its key parsed into the keyset's key type. Anything else, a
     * forged key included, is a 400 {@code invalid-cursor} naming {@code field}.
     */
    public static Cursor decode(String encoded, Keyset keyset, String field) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw invalid(field);
        }
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw invalid(field);
        }
        if (!parts[1].equals(keyset.sort())) {
            throw ProblemException.badRequest("invalid-cursor", field,
                    "The cursor belongs to sort '" + parts[1] + "', not '" + keyset.sort() + "'");
        }
        try {
            Object key = keyset.keyType().parse(parts[2]);
            UUID id = (UUID) KeyType.ID.parse(parts[3]);
            if (keyset.keyType() == KeyType.ID && !key.equals(id)) {
                throw invalid(field);
            }
            return new Cursor(parts[1], key, id);
        } catch (RuntimeException e) { // a key or id that does not parse: forged
            throw invalid(field);
        }
    }

    private static ProblemException invalid(String field) {
        return ProblemException.badRequest("invalid-cursor", field,
                "The cursor is not one this API issued; use the nextCursor of a previous page");
    }
}
