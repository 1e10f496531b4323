package io.headlesscrm.common.personal;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The statements {@link PersonalData} implementations are made of, on the caller's Hibernate Reactive session. */
public final class HeldRows {

    private HeldRows() {
    }

    /**
     * The rows of {@code select} (its parameter ?1 the customer's id) as a JSON array, columns named in camelCase as
     * the API names fields ({@code occurred_at} → {@code occurredAt}); values, JSON ones too, as stored. A NULL column
     * is left out, as the API leaves out every absent field (a JSON object built in the select: wrap it in
     * {@code json_strip_nulls}).
     */
    public static Uni<JsonNode> rows(String select, UUID customerId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT CAST(coalesce(json_agg(x), '[]') AS text)"
                + " FROM (" + select + ") x", String.class).setParameter(1, customerId).getSingleResult())
                .map(HeldRows::parse).map(HeldRows::camelCase);
    }

    /**
     * Several lists as one object: {@code namesAndSelects} alternates a member's name and its {@link #rows} select,
     * run one after another on the session.
     */
    public static Uni<JsonNode> object(UUID customerId, String... namesAndSelects) {
        ObjectNode held = mapper().createObjectNode();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < namesAndSelects.length; i += 2) {
            String name = namesAndSelects[i];
            String select = namesAndSelects[i + 1];
            chain = chain.call(() -> rows(select, customerId).invoke(rows -> held.set(name, rows)));
        }
        return chain.replaceWith(held);
    }

    private static JsonNode camelCase(JsonNode rows) {
        ArrayNode named = mapper().createArrayNode();
        for (JsonNode row : rows) {
            ObjectNode copy = named.addObject();
            row.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    copy.set(camelCase(f.getKey()), f.getValue());
                }
            });
        }
        return named;
    }

    static String camelCase(String column) {
        StringBuilder name = new StringBuilder(column.length());
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return name.toString();
    }

    /** The number {@code select} (a {@code SELECT count(*)}, its parameter ?1 the customer's id) answers. */
    public static Uni<Long> count(String select, UUID customerId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(select, Long.class).setParameter(1, customerId)
                .getSingleResult());
    }

    /** Runs {@code statement} (its parameter ?1 the customer's id); the rows it changed. */
    public static Uni<Long> changed(String statement, UUID customerId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(statement).setParameter(1, customerId)
                .executeUpdate()).map(Integer::longValue);
    }

    /**
     * Runs {@code statement}, whose {@code ?1} is the {@code values} to redact (see {@link PersonalData#redact}), for
     * {@code mentions(doc, CAST(?1 AS text[]))} and {@code redact_jsonb(doc, CAST(?1 AS text[]))} (V26); the rows
     * it changed.
     */
    public static Uni<Long> redacted(String statement, List<String> values) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(statement)
                .setParameter(1, values.toArray(String[]::new)).executeUpdate()).map(Integer::longValue);
    }

    /** The application's mapper (these helpers are static: every {@link PersonalData} calls them, none injects). */
    private static ObjectMapper mapper() {
        return Arc.container().instance(ObjectMapper.class).get();
    }

    private static JsonNode parse(String json) {
        try {
            return mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL returned JSON that does not parse", e);
        }
    }

    /** Runs a statement moving rows from one customer ({@code ?1}) to another ({@code ?2}); the rows it changed. */
    public static Uni<Long> moved(String sql, UUID from, UUID into) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(sql).setParameter(1, from).setParameter(2, into)
                .executeUpdate()).map(Integer::longValue);
    }
}
