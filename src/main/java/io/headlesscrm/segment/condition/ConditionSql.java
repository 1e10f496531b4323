package io.headlesscrm.segment.condition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.event.EventSql;
import io.headlesscrm.segment.condition.Condition.Op;
import io.headlesscrm.tag.TagConditions;

/**
 * Compiles a condition to one SQL predicate over {@code customer c}, literals inlined, set-based throughout: event
 * aggregates and tags are {@code c.id [NOT] IN (… GROUP BY customer_id HAVING …)}, which PostgreSQL runs as one
 * hashed subplan over the whole customer table rather than a probe per customer.
 */
final class ConditionSql {

    /**
     * Where a scoped predicate restricts a subquery to the customers being evaluated: {@code {{scope:column}}},
     * which the upkeep replaces by a condition on that column (see {@link #rescope}), so that each subquery reads
     * only those customers' rows through the index that leads with customer_id, not everyone's.
     */
    private static final java.util.regex.Pattern SCOPE = java.util.regex.Pattern.compile("\\{\\{scope:([a-z_]+\\.[a-z_]+)\\}\\}");

    private final boolean scoped;

    private ConditionSql(boolean scoped) {
        this.scoped = scoped;
    }

    /** The predicate over every customer. */
    static String of(Condition condition) {
        return new ConditionSql(false).sql(condition);
    }

    /** The predicate with a {@code {{scope:column}}} marker in each subquery, for {@link #rescope}. */
    static String scoped(Condition condition) {
        return new ConditionSql(true).sql(condition);
    }

    /** An event condition's property filters alone, over {@code event e} ("true" when it has none). */
    static String eventWhere(Condition.Event event) {
        java.util.List<String> all = new java.util.ArrayList<>(event.where().stream().map(w -> "(" + attr(w) + ")").toList());
        if (!event.items().isEmpty()) {
            all.add(items(event));
        }
        return all.isEmpty() ? "true" : String.join(" AND ", all);
    }

    /** Some item of event e meets every item condition. */
    private static String items(Condition.Event event) {
        return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items"
                + " ELSE '[]'::jsonb END) AS it(v) WHERE " + event.items().stream().map(w -> "(" + attr(w) + ")")
                        .collect(Collectors.joining(" AND ")) + ")";
    }

    /** Whether what the condition selects can change with time alone (a window or a date relative to now). */
    static boolean movesWithTime(Condition condition) {
        if (condition instanceof Condition.And and) {
            return and.all().stream().anyMatch(ConditionSql::movesWithTime);
        } else if (condition instanceof Condition.Or or) {
            return or.any().stream().anyMatch(ConditionSql::movesWithTime);
        } else if (condition instanceof Condition.Not not) {
            return movesWithTime(not.condition());
        } else if (condition instanceof Condition.Attr attr) {
            return attr.op() == Op.WITHIN || attr.op() == Op.BEFORE;
        } else if (condition instanceof Condition.Event event) {
            return event.within() != null || event.to() != null && event.to().isAfter(java.time.Instant.now());
        }
        return false; // tags expire through the sweep, which deletes them; memberships change through their upkeep
    }

    private String within(String column) {
        return scoped ? " AND {{scope:" + column + "}}" : "";
    }

    /** A scoped predicate with each marker replaced by {@code restriction} ({@code %s}: the column), e.g. "%s > ?1". */
    public static String rescope(String predicate, String restriction) {
        return SCOPE.matcher(predicate).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                restriction.replace("%s", m.group(1))));
    }

    private String sql(Condition condition) {
        if (condition instanceof Condition.And and) {
            return join(and.all(), " AND ");
        } else if (condition instanceof Condition.Or or) {
            return join(or.any(), " OR ");
        } else if (condition instanceof Condition.Not not) {
            return "NOT coalesce((" + sql(not.condition()) + "), false)";
        } else if (condition instanceof Condition.Attr attr) {
            return attr(attr);
        } else if (condition instanceof Condition.Tags tags) {
            return TagConditions.sql(tags.mode(), tags.keys(), within("a.customer_id"));
        } else if (condition instanceof Condition.Member m) {
            return "c.id IN (SELECT m.customer_id FROM segment_member m WHERE m.segment_id = " + SqlLiteral.id(m.segmentId())
                    + " AND m.bucket_id = " + SqlLiteral.id(m.bucketId()) + within("m.customer_id") + ")";
        }
        return event((Condition.Event) condition);
    }

    private String join(List<Condition> parts, String with) {
        return parts.stream().map(p -> "(" + sql(p) + ")").collect(Collectors.joining(with, "(", ")"));
    }

    private static String attr(Condition.Attr a) {
        String x = a.operand().sql();
        List<Object> v = a.values();
        return switch (a.op()) {
            case EQ -> x + " = " + literal(v.get(0));
            case NE -> x + " IS DISTINCT FROM " + literal(v.get(0));
            case LT -> x + " < " + literal(v.get(0));
            case LTE -> x + " <= " + literal(v.get(0));
            case GT -> x + " > " + literal(v.get(0));
            case GTE -> x + " >= " + literal(v.get(0));
            case IN -> x + " IN (" + v.stream().map(ConditionSql::literal).collect(Collectors.joining(", ")) + ")";
            case CONTAINS -> "strpos(lower(" + x + "), lower(" + literal(v.get(0)) + ")) > 0";
            case EXISTS -> x + ((Boolean) v.get(0) ? " IS NOT NULL" : " IS NULL");
            case BETWEEN -> x + " BETWEEN " + literal(v.get(0)) + " AND " + literal(v.get(1));
            case WITHIN -> x + " >= now() - " + SqlLiteral.interval((Duration) v.get(0));
            case BEFORE -> x + " < now() - " + SqlLiteral.interval((Duration) v.get(0));
        };
    }

    private String event(Condition.Event e) {
        StringBuilder where = new StringBuilder("e.type = ").append(SqlLiteral.text(e.type())).append(within("e.customer_id"));
        if (e.within() != null) {
            where.append(" AND e.occurred_at >= now() - ").append(SqlLiteral.interval(e.within()));
        } else {
            where.append(" AND e.occurred_at >= ").append(SqlLiteral.instant(e.from())).append(" AND e.occurred_at < ")
                    .append(SqlLiteral.instant(e.to()));
        }
        e.where().forEach(w -> where.append(" AND ").append(attr(w)));
        if (!e.items().isEmpty()) {
            where.append(" AND ").append(items(e));
        }
        String agg = switch (e.agg()) {
            case "count" -> "count(*)";
            case "sum" -> "coalesce(sum(" + e.of().sql() + "), 0)";
            case "distinct" -> "count(DISTINCT " + e.of().sql() + ")";
            default -> e.agg() + "(" + e.of().sql() + ")";
        };
        String comparison = agg + " " + operator(e.op()) + " " + SqlLiteral.number(e.value());
        String grouped = EventSql.customersWhere(where.toString());
        // count, sum and distinct of no events are 0: when 0 passes, a customer without such events matches too
        boolean zeroMatches = !e.agg().equals("min") && !e.agg().equals("max") && holds(e.op(), BigDecimal.ZERO, e.value());
        return zeroMatches ? "c.id NOT IN (" + grouped + " HAVING NOT (" + comparison + "))"
                : "c.id IN (" + grouped + " HAVING " + comparison + ")";
    }

    private static boolean holds(Op op, BigDecimal left, BigDecimal right) {
        int c = left.compareTo(right);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private static String operator(Op op) {
        return switch (op) {
            case EQ -> "=";
            case NE -> "<>";
            case LT -> "<";
            case LTE -> "<=";
            case GT -> ">";
            case GTE -> ">=";
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private static String literal(Object value) {
        if (value instanceof String s) {
            return SqlLiteral.text(s);
        } else if (value instanceof BigDecimal n) {
            return SqlLiteral.number(n);
        } else if (value instanceof Boolean b) {
            return b.toString();
        }
        return SqlLiteral.instant((Instant) value);
    }
}
