package io.headlesscrm.tag;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.SqlLiteral;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the tag feature publishes for segment conditions: the SQL for "the customer {@code c} carries all / any /
 * none of these tags" over live assignments, set-based so it serves a whole customer table as well as a few rows.
 */
@ApplicationScoped
public class TagConditions {

    @Inject
    Pool pool;

    /** Which of {@code keys} are defined tags. */
    public Uni<Set<String>> existing(Collection<String> keys) {
        return pool.preparedQuery("SELECT key FROM tag WHERE key = ANY($1)").execute(Tuple.of(keys.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getString(0)));
                    return found;
                });
    }

    /**
     * A predicate over {@code c.id}; {@code mode} is all, any or none; {@code restriction} (SQL over
     * {@code a.customer_id}, or "") narrows the assignments read to the customers being evaluated.
     */
    public static String sql(String mode, List<String> keys, String restriction) {
        return switch (mode) {
            // one semi-join per tag, not a GROUP BY ... HAVING count(*) = n: the planner can probe the assignments of
            // the few customers the rest of a condition leaves instead of grouping every carrier of every tag
            case "all" -> keys.stream().distinct().map(k -> "c.id IN (" + carriers(List.of(k), restriction) + ")")
                    .collect(java.util.stream.Collectors.joining(" AND ", "(", ")"));
            case "any" -> "c.id IN (" + carriers(keys, restriction) + ")";
            case "none" -> "c.id NOT IN (" + carriers(keys, restriction) + ")";
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static String carriers(List<String> keys, String restriction) {
        return "SELECT a.customer_id FROM customer_tag a WHERE a.tag_id IN (SELECT id FROM tag WHERE key IN ("
                + SqlLiteral.texts(keys) + ")) AND (a.expires_at IS NULL OR a.expires_at > now())" + restriction;
    }
}
