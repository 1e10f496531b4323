package io.headlesscrm.common.paging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.ProblemException;

/**
 * The one way a keyset list query is built: the feature's own query and filters, then "after the cursor", the
 * keyset's order and {@code limit + 1} rows (the extra row only says that another page exists, see
 * {@link Page#slice}). The SQL stays in each feature; this only assembles it.
 *
 * <p>Conditions use {@code ?} for their values. An HQL query binds them as named parameters (for Panache's
 * {@code find(query, params).range(0, fetch() - 1)}); a SQL query (the reactive SQL client) as {@code $n}, with its
 * {@code LIMIT} included, and Instants bound as UTC timestamps.
 */
public final class KeysetQuery {

    private final boolean sql;
    private final StringBuilder text;
    private final List<Object> values = new ArrayList<>();
    private boolean where;
    private int fetch = -1;

    private KeysetQuery(boolean sql, String select) {
        this.sql = sql;
        this.text = new StringBuilder(select);
    }

    /** An HQL query, {@code from Customer c}; bind with {@link #named()}. */
    public static KeysetQuery hql(String from) {
        return new KeysetQuery(false, from);
    }

    /** A SQL query for the reactive client, {@code SELECT ... FROM audit_log}; bind with {@link #positional()}. */
    public static KeysetQuery sql(String select) {
        return new KeysetQuery(true, select);
    }

    /** ANDs a condition whose {@code ?} placeholders take {@code values}, in order. */
    public KeysetQuery where(String condition, Object... values) {
        if (fetch >= 0) {
            throw new IllegalStateException("conditions go before the page");
        }
        StringBuilder bound = new StringBuilder();
        int v = 0;
        for (char c : condition.toCharArray()) {
            if (c == '?') {
                this.values.add(bind(values[v++]));
                bound.append(sql ? "$" + this.values.size() : ":p" + this.values.size());
            } else {
                bound.append(c);
            }
        }
        if (v != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + v + " placeholders: " + condition);
        }
        text.append(where ? " AND " : " WHERE ").append(bound);
        where = true;
        return this;
    }

    /** ANDs {@code condition} (one {@code ?}) only when {@code value} is given: an optional filter. */
    public KeysetQuery whereIf(Object value, String condition) {
        return value == null ? this : where(condition, value);
    }

    /** Rows after {@code after} (null: from the first) in {@code keyset}'s order, {@code limit + 1} of them. */
    public KeysetQuery page(Keyset keyset, Cursor after, int limit) {
        if (after != null) {
            String comparison = keyset.descending() ? " < " : " > ";
            if (keyset.keyColumn() == null) {
                where(keyset.idColumn() + comparison + "?", after.id());
            } else {
                where("(" + keyset.keyColumn() + ", " + keyset.idColumn() + ")" + comparison + "(?, ?)", after.key(),
                        after.id());
            }
        }
        text.append(sql ? " ORDER BY " : " order by ").append(keyset.orderBy());
        fetch = limit + 1;
        if (sql) {
            values.add(fetch);
            text.append(" LIMIT $").append(values.size());
        }
        return this;
    }

    public String query() {
        return text.toString();
    }

    /** The rows to fetch: the page size plus one. */
    public int fetch() {
        return fetch;
    }

    /** HQL parameters by name. */
    public Map<String, Object> named() {
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            named.put("p" + (i + 1), values.get(i));
        }
        return named;
    }

    /** SQL parameters in {@code $n} order (for {@code Tuple.from}). */
    public List<Object> positional() {
        return new ArrayList<>(values);
    }

    /** Filter values no column can hold are the client's mistake, reported before they reach SQL. */
    private Object bind(Object value) {
        if (value instanceof Collection<?> values) {
            values.forEach(this::bind);
        }
        if (value instanceof String text && !Text.storable(text)) {
            throw ProblemException.badRequest("invalid-text", null,
                    "Text must be valid Unicode without NUL characters (\\u0000) or unpaired surrogates");
        }
        if (value instanceof Instant at && (at.isBefore(KeyType.EARLIEST) || at.isAfter(KeyType.LATEST))) {
            throw ProblemException.badRequest("invalid-parameter", null, "Times must lie in the years 1 to 9999");
        }
        return sql && value instanceof Instant at ? at.atOffset(ZoneOffset.UTC) : value;
    }
}
