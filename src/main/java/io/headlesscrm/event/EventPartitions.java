package io.headlesscrm.event;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the monthly partitions of {@code event} and {@code anonymous_event}: every month from the retention limit to
 * {@code partitionsAhead} months ahead exists, and a month wholly older than the retention limit is dropped. It runs
 * at start-up (so the first event has a partition) and every hour, on every instance: a transaction-level advisory
 * lock makes the instances take turns, and each step is idempotent.
 */
@ApplicationScoped
public class EventPartitions {

    static final List<String> TABLES = List.of("event", "anonymous_event");
    private static final Logger LOG = Logger.getLogger(EventPartitions.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("'_p'yyyyMM");
    private static final String PARTITIONS = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = $1::regclass";

    @Inject
    Pool pool;
    @Inject
    EventsConfig config;

    void atStart(@Observes StartupEvent start) {
        maintain(Instant.now()).await().atMost(Duration.ofMinutes(1));
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> hourly() {
        return maintain(Instant.now()).onFailure().invoke(e -> LOG.error("Event partition upkeep failed", e))
                .onFailure().recoverWithNull();
    }

    /** Creates the missing months and drops the expired ones, as of {@code now}. */
    Uni<Void> maintain(Instant now) {
        YearMonth first = month(now.minus(config.retention()));
        YearMonth last = month(now).plusMonths(config.partitionsAhead());
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(hashtext('crm.event-partitions'))")
                .execute().flatMap(locked -> Multi.createFrom().iterable(TABLES)
                        .onItem().transformToUniAndConcatenate(table -> maintain(conn, table, first, last))
                        .collect().asList()))
                .replaceWithVoid();
    }

    private Uni<Void> maintain(SqlConnection conn, String table, YearMonth first, YearMonth last) {
        return conn.preparedQuery(PARTITIONS).execute(Tuple.of(table)).flatMap(rows -> {
            List<String> existing = new ArrayList<>();
            rows.forEach(r -> existing.add(r.getString(0)));
            List<String> statements = new ArrayList<>();
            for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                String name = table + m.format(SUFFIX);
                if (!existing.contains(name)) {
                    statements.add("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table + " FOR VALUES FROM ('"
                            + m.atDay(1) + "T00:00:00Z') TO ('" + m.plusMonths(1).atDay(1) + "T00:00:00Z')");
                }
            }
            for (String name : existing) {
                YearMonth m = monthOf(table, name);
                if (m != null && m.isBefore(first)) {
                    statements.add("DROP TABLE IF EXISTS " + name);
                    LOG.infof("Dropping %s: its events are older than the retention of %s", name, config.retention());
                }
            }
            return Multi.createFrom().iterable(statements)
                    .onItem().transformToUniAndConcatenate(sql -> conn.query(sql).execute()).collect().last()
                    .replaceWithVoid();
        });
    }

    static YearMonth month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC));
    }

    /** The month of one of this service's partitions of {@code table}; null for any other table. */
    private static YearMonth monthOf(String table, String partition) {
        String prefix = table + "_p";
        if (!partition.startsWith(prefix) || partition.length() != prefix.length() + 6) {
            return null;
        }
        try {
            return YearMonth.parse(partition.substring(table.length()), SUFFIX);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
