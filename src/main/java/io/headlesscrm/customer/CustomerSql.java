package io.headlesscrm.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.personal.CustomerAliases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL this package publishes for other features' statements over the customer table, so that the table is named
 * only here (as {@link io.headlesscrm.touchpoint.TouchpointSql} and {@link io.headlesscrm.event.EventSql} do for
 * theirs). Where the caller's SQL must stay one statement (a campaign run's recipients, a segment's evaluation, bulk
 * tagging, lead matching: set-based over many customers, or a lock taken in the caller's transaction), a fragment to
 * build into it, which leaves the statement and its plan as they were; else a statement on the caller's connection.
 * What other features ask as calls of their own in the caller's session (locks, existence, contacts, survivors of
 * merges) is {@link CustomerRepository}'s.
 */
@ApplicationScoped
public class CustomerSql implements CustomerAliases {

    /**
     * The customers as {@code c}, for a FROM or a JOIN: the relation that compiled customer predicates (segment
     * conditions, campaign and touchpoint rules) are written over, with the columns of {@link Customer} (id,
     * external_id, type, name, email, phone, attributes, created_at, last_active_at, ...); joined by {@code c.id}.
     */
    public static final String AS_C = "customer c";

    /**
     * The customer right before {@code ?1} in id order (the nil id when none), as SQL: where a keyset cursor that
     * names {@code ?1} (a job's or a pull's) goes on from once they are erased, without naming them.
     */
    public static final String BEFORE = "coalesce((SELECT id FROM customer WHERE id < ?1 ORDER BY id DESC"
            + " LIMIT 1), CAST('00000000-0000-0000-0000-000000000000' AS uuid))";

    /**
     * A SELECT of {@code id}: those of the customers {@code ids} (SQL, a uuid array) that exist, kept from being
     * deleted (FOR KEY SHARE) until the caller's transaction ends, so that what it writes for them cannot fail on a
     * customer deleted meanwhile.
     */
    public static String existingKeptFromDeletion(String ids) {
        return "SELECT id FROM customer WHERE id = ANY(" + ids + ") FOR KEY SHARE";
    }

    /** Up to {@code limit} customer ids after {@code after} in id order, on the caller's connection. */
    public static Uni<List<UUID>> idsAfter(SqlConnection conn, UUID after, int limit) {
        return conn.preparedQuery("SELECT id FROM customer WHERE id > $1 ORDER BY id LIMIT " + limit)
                .execute(Tuple.of(after)).map(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    @Override
    public String mergedInto(String customer) {
        return "SELECT alias_id FROM customer_alias WHERE customer_id = " + customer;
    }
}
