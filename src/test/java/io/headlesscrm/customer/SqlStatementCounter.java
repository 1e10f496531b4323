package io.headlesscrm.customer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts the SQL statements Hibernate issues while it is open, by listening to the {@code org.hibernate.SQL}
 * logger (Hibernate Reactive logs every statement it sends there at DEBUG). Statements sent on the Vert.x SQL
 * client directly (the lookup by id) are not seen, so assert exact counts: a path that leaves Hibernate then
 * fails the test instead of passing with zero. Statements of the service's background work (tag jobs, the
 * expiry sweep, segment upkeep, campaigns, imports and exports), which may run at any moment, are not counted.
 */
public final class SqlStatementCounter extends Handler implements AutoCloseable {

    private static final Logger SQL = Logger.getLogger("org.hibernate.SQL");
    /** Marks of the statements background work sends. */
    private static final List<String> BACKGROUND = List.of("tag_job", "expires_at <= now()",
            // segment upkeep: its lock, marks, due refreshes and membership statements (callers wait until it has
            // caught up, so it sends nothing else meanwhile)
            "pg_try_advisory_xact_lock(", "segment_dirty", "UPDATE segment SET", "segment_member",
            // ... and the plans it loads in its own session
            "FROM segment s JOIN segment_bucket b",
            // campaign workers: starting due campaigns, claiming, stepping and releasing runs, attributing goal events
            "status = 'SCHEDULED'", "campaign_run", "campaign_recipient", "campaign_goal_event",
            // import and export workers: claiming jobs, expiring export files
            "import_job", "export_job");
    private final AtomicInteger count = new AtomicInteger();
    private final List<String> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Level previous;

    public SqlStatementCounter() {
        previous = SQL.getLevel();
        SQL.setLevel(Level.FINE);
        SQL.setUseParentHandlers(false);
        SQL.addHandler(this);
    }

    public int count() {
        return count.get();
    }

    /** The statements counted, for a failing assertion to show. */
    public List<String> statements() {
        return List.copyOf(counted);
    }

    @Override
    public void publish(LogRecord record) {
        String sql = String.valueOf(record.getMessage());
        if (BACKGROUND.stream().noneMatch(sql::contains)) {
            count.incrementAndGet();
            counted.add(sql);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        SQL.removeHandler(this);
        SQL.setUseParentHandlers(true);
        SQL.setLevel(previous);
    }
}
