package io.headlesscrm.segment.condition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A parsed, validated condition tree over customers: what segments (and later campaigns and lead rules) select by.
 * Built only by {@link ConditionParser}, compiled to SQL by {@link ConditionSql}.
 */
public sealed interface Condition {

    record And(List<Condition> all) implements Condition {
    }

    record Or(List<Condition> any) implements Condition {
    }

    record Not(Condition condition) implements Condition {
    }

    /** A customer field or declared attribute compared with literal values (already checked against its type). */
    record Attr(Operand operand, Op op, List<Object> values) implements Condition {
    }

    /** Live tag assignments: the customer carries all, any or none of the keys. */
    record Tags(String mode, List<String> keys) implements Condition {
    }

    /**
     * An aggregate of the customer's events of one type, optionally filtered, over the last {@code within} or the
     * range [{@code from}, {@code to}), compared with a number.
     */
    record Event(String type, List<Attr> where, List<Attr> items, String agg, Operand of, Duration within, Instant from, Instant to,
            Op op, BigDecimal value) implements Condition {
    }

    /** Membership of a saved segment: an audience (its one bucket) or one bucket of a dimension. */
    record Member(UUID segmentId, UUID bucketId) implements Condition {
    }

    /** What a comparison reads: a customer column, a customer attribute, or an event property, with its type. */
    record Operand(String sql, Kind kind) {
    }

    enum Kind {
        STRING, NUMBER, BOOLEAN, TIMESTAMP
    }

    enum Op {
        EQ, NE, LT, LTE, GT, GTE, IN, CONTAINS, EXISTS, BETWEEN, WITHIN, BEFORE
    }
}
