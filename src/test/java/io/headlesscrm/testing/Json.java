package io.headlesscrm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A JSON body and paths into it: how the tests read what the API answered. {@code .extract().as(Json.class)}
 * (or {@link #of(String)}) gives one; {@code .body(json("items[0].id", equalTo(id)))} asserts on a path.
 * <p>
 * Why not REST Assured's {@code .body("path", matcher)}, {@code extract().path(…)} and {@code JsonPath}: each of
 * them compiles its path into a Groovy class, every time (about 29% of the suite's test-thread time, most of it
 * spent looking the script's names up as classes). The paths here are the part of GPath the tests use, read the
 * same way and giving the same Java types: {@code a.b}, {@code a[0]}, {@code a[-1]}, {@code a['x.y']}, a name
 * over a list collects it from every element ({@code items.id}), {@code size()}, {@code flatten()},
 * {@code find { it.key == 'v' }}, and {@code $} or nothing for the whole body. Numbers are Integer, Long or
 * BigInteger, decimals Float (Double when too large), as REST Assured's default; a missing name is null.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern FIND = Pattern.compile("find\\s*\\{\\s*it\\.([\\w-]+)\\s*==\\s*'([^']*)'\\s*}");

    private final Object root;

    private Json(Object root) {
        this.root = root;
    }

    /** The body a REST Assured response is mapped to by {@code as(Json.class)}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Json read(JsonNode body) {
        return new Json(value(MAPPER.convertValue(body, Object.class)));
    }

    /** A JSON text. */
    public static Json of(String text) {
        try {
            return new Json(value(MAPPER.readValue(text, Object.class)));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** For REST Assured's {@code .body(…)}: the value at {@code path} of the response body matches. */
    public static org.hamcrest.Matcher<Object> json(String path, org.hamcrest.Matcher<?> matcher) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object body) {
                return matcher.matches(at(body, path));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("JSON path ").appendValue(path).appendText(" ").appendDescriptionOf(matcher);
            }

            @Override
            public void describeMismatch(Object body, Description description) {
                description.appendText("at ").appendValue(path).appendText(" ");
                matcher.describeMismatch(at(body, path), description);
                description.appendText(" in ").appendText(String.valueOf(body));
            }
        };
    }

    private static Object at(Object body, String path) {
        return of(String.valueOf(body)).get(path);
    }

    /** The value at the path: a Map, List, String, number, Boolean or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(String path) {
        return (T) walk(root, path.trim());
    }

    /** The part of this document at the path, as a document of its own. */
    public Json child(String path) {
        return new Json(get(path));
    }

    public String getString(String path) {
        Object v = get(path);
        return v == null ? null : v.toString();
    }

    public int getInt(String path) {
        return number(path).intValue();
    }

    public long getLong(String path) {
        return number(path).longValue();
    }

    public double getDouble(String path) {
        return number(path).doubleValue();
    }

    public boolean getBoolean(String path) {
        Object v = get(path);
        return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }

    public <T> List<T> getList(String path) {
        return get(path);
    }

    /** The list at the path, each element as {@code type} (String: its text, Integer: its number). */
    public <T> List<T> getList(String path, Class<T> type) {
        List<Object> list = get(path);
        if (list == null) {
            return null;
        }
        List<T> converted = new ArrayList<>();
        for (Object e : list) {
            converted.add(type.cast(type == String.class && e != null ? e.toString()
                    : type == Integer.class && e instanceof Number n ? (Object) n.intValue() : e));
        }
        return converted;
    }

    public <K, V> Map<K, V> getMap(String path) {
        return get(path);
    }

    @Override
    public String toString() {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Number number(String path) {
        Object v = get(path);
        if (v instanceof Number n) {
            return n;
        }
        if (v == null) {
            throw new IllegalArgumentException("no number at " + path + " in " + this);
        }
        return new BigDecimal(v.toString());
    }

    /** Jackson's decimals become Float (Double when beyond Float's range), as REST Assured reads them. */
    private static Object value(Object v) {
        if (v instanceof BigDecimal d) {
            return d.compareTo(BigDecimal.valueOf(Float.MAX_VALUE)) > 0 ? (Object) d.doubleValue() : d.floatValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, e) -> copy.put((String) k, value(e)));
            return copy;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(e -> copy.add(value(e)));
            return copy;
        }
        return v;
    }

    private static Object walk(Object node, String path) {
        int i = path.startsWith("$") ? 1 : 0;
        Object current = node;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                String inside = path.substring(i + 1, end).trim();
                current = inside.startsWith("'") ? name(current, inside.substring(1, inside.length() - 1))
                        : index(current, Integer.parseInt(inside));
                i = end + 1;
            } else if (path.startsWith("size()", i)) {
                current = current instanceof List<?> l ? l.size() : current instanceof Map<?, ?> m ? m.size()
                        : current == null ? null : current.toString().length();
                i += "size()".length();
            } else if (path.startsWith("flatten()", i)) {
                List<Object> flat = new ArrayList<>();
                flatten(current, flat);
                current = flat;
                i += "flatten()".length();
            } else if (path.startsWith("find {", i) || path.startsWith("find{", i)) {
                Matcher find = FIND.matcher(path).region(i, path.length());
                if (!find.lookingAt()) {
                    throw new IllegalArgumentException("only find { it.name == 'value' } is read: " + path);
                }
                current = find(current, find.group(1), find.group(2));
                i = find.end();
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                current = name(current, path.substring(i, end));
                i = end;
            }
        }
        return current;
    }

    /** A name on an object is its field; on a list, the field of every element (GPath's spread). */
    private static Object name(Object node, String name) {
        if (node instanceof Map<?, ?> m) {
            return m.get(name);
        }
        if (node instanceof List<?> l) {
            List<Object> each = new ArrayList<>(l.size());
            l.forEach(e -> each.add(name(e, name)));
            return each;
        }
        return null;
    }

    private static Object index(Object node, int index) {
        if (!(node instanceof List<?> l)) {
            return null;
        }
        int at = index < 0 ? l.size() + index : index;
        return at >= 0 && at < l.size() ? l.get(at) : null;
    }

    private static Object find(Object node, String field, String value) {
        if (node instanceof List<?> l) {
            return l.stream().filter(e -> e instanceof Map<?, ?> m && Objects.equals(String.valueOf(m.get(field)),
                    value)).findFirst().orElse(null);
        }
        return null;
    }

    private static void flatten(Object node, List<Object> into) {
        if (node instanceof List<?> l) {
            l.forEach(e -> flatten(e, into));
        } else {
            into.add(node);
        }
    }
}
