package io.headlesscrm.common.graphql;

import java.util.List;
import java.util.Map;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.ProblemException;

/**
 * The text rule REST applies to bodies ({@link Text}), applied to a GraphQL field's arguments as they reach it,
 * from literals in the document or from variables alike: text holding NUL or an unpaired surrogate is refused with
 * {@code invalid-text} before the field runs (it failed in the database as "System error", or was stored cut).
 */
final class TextArguments {

    private TextArguments() {
    }

    /** Throws {@code invalid-text} naming the first argument (as a path) that holds text PostgreSQL cannot store. */
    static void check(Map<String, Object> arguments) {
        String bad = unstorable(arguments, "");
        if (bad != null) {
            throw ProblemException.badRequest("invalid-text", bad, "Argument '" + bad + "': " + Text.RULE);
        }
    }

    private static String unstorable(Object value, String path) {
        if (value instanceof String text) {
            return Text.storable(text) ? null : path;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = path.isEmpty() ? key : path + "." + key;
                String bad = Text.storable(key) ? unstorable(entry.getValue(), at) : at;
                if (bad != null) {
                    return bad;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String bad = unstorable(list.get(i), path + "[" + i + "]");
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }
}
