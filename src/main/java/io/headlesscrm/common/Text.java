package io.headlesscrm.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text PostgreSQL can store. A JSON escape such as {@code \ud800} yields a Java string with an unpaired UTF-16
 * surrogate, which has no UTF-8 form: the driver would write it as {@code ?} (or, followed by a non-ASCII
 * character, garble the next one), so such text is refused where it enters, as is NUL, which no text or jsonb
 * value can hold.
 */
public final class Text {

    public static final String RULE = "text must be valid Unicode without NUL characters (\\u0000) or unpaired surrogates";

    private Text() {
    }

    /** Whether PostgreSQL text can hold {@code text}: no NUL, no unpaired UTF-16 surrogate. */
    public static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /**
     * Where in {@code node} the first text or field name PostgreSQL cannot store is, as field names and array
     * indexes from the outside in (empty for the node itself); null if there is none.
     */
    public static Deque<Object> unstorable(JsonNode node) {
        if (node.isTextual()) {
            return storable(node.textValue()) ? null : new ArrayDeque<>();
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            Deque<Object> bad = unstorable(node.get(i));
            if (bad != null) {
                bad.addFirst(i);
                return bad;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!storable(field.getKey())) {
                return new ArrayDeque<>();
            }
            Deque<Object> bad = unstorable(field.getValue());
            if (bad != null) {
                bad.addFirst(field.getKey());
                return bad;
            }
        }
        return null;
    }

    /** A path as the API names fields: {@code items[2].properties.size}; null for an empty one. */
    public static String path(Iterable<?> refs) {
        StringBuilder path = new StringBuilder();
        for (Object ref : refs) {
            if (ref instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(ref);
            }
        }
        return path.length() == 0 ? null : path.toString();
    }
}
