package io.headlesscrm.lead;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.headlesscrm.common.work.ServiceClock;
import io.headlesscrm.common.work.WorkLoop;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Closes open leads past their expiresAt as EXPIRED, with a history line, lead.status_changed and their queued
 * touchpoints cancelled ({@link Leads#move}). Every instance sweeps: each transaction takes a bounded batch that the
 * others skip (SKIP LOCKED), and goes on while batches come full.
 */
@ApplicationScoped
class LeadExpiry {

    private static final Logger LOG = Logger.getLogger(LeadExpiry.class);
    private static final int BATCH = 1000;
    private static final String DUE = "SELECT id, expires_at FROM lead WHERE expires_at <= $2 AND status = ANY($1)"
            + " ORDER BY expires_at LIMIT " + BATCH + " FOR NO KEY UPDATE SKIP LOCKED";

    @Inject
    Pool pool;
    @Inject
    Leads leads;
    @Inject
    LeadsConfig config;
    @Inject
    ServiceClock clock;

    @Scheduled(every = "${crm.leads.expiry-sweep-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.workersEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return WorkLoop.drain(() -> batch().map(n -> n == BATCH), LOG, "Lead expiry");
    }

    /** One batch in one transaction; how many leads it expired. */
    private Uni<Integer> batch() {
        String[] open = LeadStatus.OPEN.stream().map(Enum::name).toArray(String[]::new);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return pool.withTransaction(conn -> conn.preparedQuery(DUE).execute(Tuple.of(open, now)).flatMap(rows -> {
            List<UUID> ids = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            rows.forEach(r -> {
                ids.add(r.getUUID(0));
                notes.add("Expired: still open at " + r.getOffsetDateTime(1).toInstant());
            });
            return leads.move(conn, ids.toArray(UUID[]::new), notes.toArray(String[]::new), LeadStatus.OPEN,
                    LeadStatus.EXPIRED, null, Leads.By.SERVICE)
                    .replaceWith(ids.size());
        })).invoke(n -> {
            if (n > 0) {
                LOG.debugf("Expired %d leads", n);
            }
        });
    }
}
