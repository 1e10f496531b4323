package io.headlesscrm.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.campaign.CampaignRunStep.Work;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.headlesscrm.webhook.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Decides batches of a run and acts on them, each batch in one statement ({@link CampaignRunSql#send}) and a
 * transaction of its own, on a connection of its own: a customer a cap stops is CAPPED (naming the cap, and the
 * campaign that took its room), one in quiet hours DEFERRED until they end, and everyone else is sent their variant,
 * written the touchpoint package's way, which suppresses the touchpoint of a customer who opted out (SUPPRESSED) or
 * queues it (REACHED). Every decision is recorded on the recipient, with its reason. The step that asks holds the
 * run's lock meanwhile (see {@link CampaignRunStep}), so a pause waits for the batches in flight.
 */
@ApplicationScoped
class CampaignDecisions {

    private static final String STARTS = "SELECT customer_id FROM (SELECT customer_id, row_number() OVER"
            + " (ORDER BY customer_id) AS n FROM campaign_recipient WHERE run_id = ?1 AND outcome = 'PENDING'"
            + " ORDER BY customer_id LIMIT ?2) p WHERE n % ?3 = 1 ORDER BY customer_id";

    @Inject
    CampaignsConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;
    @Inject
    Pool pool;

    /**
     * Decides the next pending recipients of the run, up to {@code crm.campaigns.parallel-batches} batches at once:
     * each from the customer id at every batch-size-th pending recipient in key order (read through the step's
     * session, under the run's lock) to the next; the number of recipients decided.
     */
    Uni<Integer> pending(Mutiny.Session s, Work w) {
        return s.createNativeQuery(STARTS, UUID.class).setParameter(1, w.runId())
                .setParameter(2, config.batchSize() * config.parallelBatches()).setParameter(3, config.batchSize())
                .getResultList().flatMap(starts -> {
                    if (starts.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    String sql = CampaignRunSql.send(w.plan(), w.campaign(), w.caps(), false);
                    List<Uni<Integer>> batches = new ArrayList<>();
                    for (int i = 0; i < starts.size(); i++) {
                        UUID to = i + 1 < starts.size() ? starts.get(i + 1) : null;
                        batches.add(batch(sql, params(w).addValue(starts.get(i)).addValue(to)));
                    }
                    return Uni.join().all(batches).andCollectFailures().map(n -> n.stream().mapToInt(Integer::intValue).sum());
                });
    }

    /** Decides the deferred recipients that are due, one batch; the number of recipients decided. */
    Uni<Integer> due(Work w) {
        return batch(CampaignRunSql.send(w.plan(), w.campaign(), w.caps(), true), params(w));
    }

    private Uni<Integer> batch(String sql, Tuple params) {
        return pool.withTransaction(conn -> outbox.write(conn, sql, params).map(rows -> rows.iterator().next())
                .call(r -> r.getValue(2) == null ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(CampaignRunSql.COUNT_REACHED).execute(Tuple.of(params.getValue(0),
                                r.getArrayOfStrings(2), r.getArrayOfLongs(3))).replaceWithVoid()))
                // a customer deleted after the batch read them fails their touchpoint's foreign key; done again (the
                // transaction rolled back, its ids unused), the batch finds them gone and skips them
                .onFailure(e -> Problems.isForeignKeyViolation(e, "touchpoint_customer_id_fkey")).retry().atMost(3)
                .map(r -> r.getLong(0).intValue());
    }

    private Tuple params(Work w) {
        List<CampaignInput.Variant> variants = w.campaign().variants();
        String[] keys = variants.stream().map(CampaignInput.Variant::key).toArray(String[]::new);
        String[] contents = variants.stream().map(v -> Jsons.text(mapper, v.content())).toArray(String[]::new);
        return Tuple.tuple().addValue(w.runId()).addValue((long) config.batchSize()).addValue(keys).addValue(contents)
                .addValue(TouchpointSql.newIds(config.batchSize()));
    }
}
