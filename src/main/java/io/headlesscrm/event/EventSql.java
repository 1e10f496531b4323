package io.headlesscrm.event;

/**
 * The SQL this package publishes for other features' statements that read events in bulk: segment conditions over
 * events, compiled into one query with the rest of the condition, and campaign goal attribution, one statement per
 * batch. Each method returns a fragment to build into the caller's statement, so the statement stays one and its plan
 * is the one it was, while the event table is named only here. The events are {@code e} or {@code ev} as each method
 * says, with the columns of V8 (customer_id, occurred_at, event_id, type, properties, items).
 */
public final class EventSql {

    private EventSql() {
    }

    /**
     * A SELECT of {@code e.customer_id} over the events {@code e} that meet {@code where} (a predicate over e),
     * grouped by customer: the caller appends a HAVING over their aggregates. With the customer and the type in
     * {@code where} it reads the (customer_id, type, occurred_at) index, else one scan for every customer at once.
     */
    public static String customersWhere(String where) {
        return "SELECT e.customer_id FROM event e WHERE " + where + " GROUP BY e.customer_id";
    }

    /**
     * A SELECT of the events {@code ev} (customer_id, occurred_at, event_id, type, properties) whose keys the relation
     * {@code keys} lists in its columns customer_id, occurred_at and event_id: each read by its primary key.
     */
    public static String byKeys(String keys) {
        return "SELECT ev.customer_id, ev.occurred_at, ev.event_id, ev.type, ev.properties FROM " + keys + " k"
                + " JOIN event ev ON ev.customer_id = k.customer_id AND ev.occurred_at = k.occurred_at"
                + " AND ev.event_id = k.event_id";
    }

    /**
     * A JOIN (with its leading space) of the events {@code ev} of customer {@code customer} of type {@code type} that
     * occurred from {@code from} up to, not including, {@code to} (all four SQL over the caller's relations): read
     * through the (customer_id, type, occurred_at) index.
     */
    public static String joinOfType(String customer, String type, String from, String to) {
        return " JOIN event ev ON ev.customer_id = " + customer + " AND ev.type = " + type + " AND ev.occurred_at >= "
                + from + " AND ev.occurred_at < " + to;
    }
}
