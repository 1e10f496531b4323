package io.headlesscrm.segment;

import io.headlesscrm.testing.Waits;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Waiting for the segment upkeep, for tests of any feature whose writes it follows. */
public final class UpkeepWaits {

    /**
     * Nothing marked, no recompute pending, and no step holding the upkeep's lock: a step's claim only shows once its
     * transaction (with the changes and webhooks it writes) has committed, but the lock also covers a step still
     * running. A bigint advisory key shows in pg_locks as classid (high half), objid (low half) and objsubid 1.
     */
    private static final String CAUGHT_UP = "SELECT NOT EXISTS (SELECT 1 FROM segment_dirty)"
            + " AND NOT EXISTS (SELECT 1 FROM segment WHERE refresh_cause IS NOT NULL)"
            + " AND NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
            + " AND (classid::bigint << 32 | objid::bigint) = $1)";

    private UpkeepWaits() {
    }

    /** Returns once the upkeep has caught up with every write so far. */
    public static void caughtUp(Pool pool) {
        Waits.eventually().alias("segment upkeep caught up").until(() -> pool.preparedQuery(CAUGHT_UP)
                .execute(Tuple.of(SegmentUpkeep.LOCK)).await().indefinitely().iterator().next().getBoolean(0));
    }
}
