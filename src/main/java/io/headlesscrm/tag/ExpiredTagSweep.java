package io.headlesscrm.tag;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Removes assignments whose expiry has passed. Reads never show them in the meantime; this keeps the table and
 * its counts lean. The lapse was decided when the expiry was set (and audited then), so the sweep writes no
 * audit rows. Several instances may sweep at once: each deletes a bounded batch that the others skip.
 */
@ApplicationScoped
public class ExpiredTagSweep {

    private static final Logger LOG = Logger.getLogger(ExpiredTagSweep.class);
    private static final int BATCH = 10_000;

    @Scheduled(every = "${crm.tags.expiry-sweep-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @WithTransaction
    Uni<Void> sweep() {
        // joined by the primary key, not by ctid IN (...): right after a bulk load (2M rows, statistics that still
        // say the table is empty) the planner ran the ctid form as a nested loop over the whole table, for minutes
        return Panache.getSession().flatMap(s -> s.createNativeQuery("DELETE FROM customer_tag t USING (SELECT"
                + " customer_id, tag_id FROM customer_tag WHERE expires_at <= now() LIMIT " + BATCH
                + " FOR UPDATE SKIP LOCKED) x WHERE t.customer_id = x.customer_id AND t.tag_id = x.tag_id")
                .executeUpdate())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.debugf("Removed %d expired tag assignments", n);
                    }
                }).replaceWithVoid();
    }
}
