package io.headlesscrm.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way old rows are purged: a statement that deletes at most {@link #BATCH} of them, run again while it finds
 * that many. Each statement commits on its own, so no purge holds locks for long; a statement that picks its rows
 * {@code FOR UPDATE SKIP LOCKED} lets every instance purge at once without waiting on another.
 */
public final class Purge {

    public static final int BATCH = 5000;

    private Purge() {
    }

    /** Runs {@code delete} until it deletes fewer than {@link #BATCH}; the rows deleted in all. */
    public static Uni<Long> untilDone(Supplier<Uni<Integer>> delete) {
        return delete.get().flatMap(n -> n < BATCH ? Uni.createFrom().item((long) n)
                : untilDone(delete).map(rest -> rest + n));
    }

    /**
     * Deletes the rows of {@code table} whose {@code timeColumn} is older than {@code retention} (none when it is
     * absent), oldest first; the rows deleted. The table's owner names it: its SQL stays in its feature.
     */
    public static Uni<Long> olderThan(Pool pool, String table, String timeColumn, Optional<Duration> retention) {
        if (retention.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        String delete = "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + timeColumn
                + " < $1 ORDER BY " + timeColumn + " LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED)";
        Tuple cutoff = Tuple.of(Instant.now().minus(retention.get()).atOffset(ZoneOffset.UTC));
        // each batch says what it purges: the audit log refuses deletions from anything else (V22)
        return untilDone(() -> pool.withTransaction(conn -> conn.preparedQuery("SELECT set_config('crm.purging', $1,"
                + " true)").execute(Tuple.of(table)).flatMap(v -> conn.preparedQuery(delete).execute(cutoff))
                .map(RowSet::rowCount)));
    }
}
