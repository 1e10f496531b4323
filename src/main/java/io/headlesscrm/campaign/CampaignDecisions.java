package io.headlesscrm.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.headlesscrm.campaign.CampaignRunStep.Work;
import io.headlesscrm.common.Rows;
import io.headlesscrm.touchpoint.TouchpointContent;
import io.headlesscrm.touchpoint.TouchpointService;
import io.headlesscrm.touchpoint.TouchpointService.Reach;
import io.headlesscrm.touchpoint.TouchpointService.Reached;
import io.smallrye.mutiny.Uni;

/**
 * Decides one batch of a run and acts on it, in the step's transaction: a customer a cap stops is CAPPED (naming
 * the cap), one in quiet hours DEFERRED until they end, and everyone else is sent their variant through the
 * touchpoint service, which suppresses the touchpoint of a customer who opted out (SUPPRESSED) or queues it
 * (REACHED). Every decision is recorded on the recipient, with its reason, in one statement.
 */
@ApplicationScoped
class CampaignDecisions {

    @Inject
    CampaignsConfig config;
    @Inject
    TouchpointService touchpoints;

    /** The decisions of one batch, as arrays for one UPDATE. */
    private static final class Decided {
        final List<UUID> customers = new ArrayList<>();
        final List<String> entries = new ArrayList<>();
        final List<String> outcomes = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        final List<String> dues = new ArrayList<>();
        final List<UUID> touchpoints = new ArrayList<>();

        void add(UUID customer, String entry, String outcome, String reason, Instant due, UUID touchpoint) {
            customers.add(customer);
            entries.add(entry);
            outcomes.add(outcome);
            reasons.add(reason);
            dues.add(due == null ? null : due.toString());
            touchpoints.add(touchpoint);
        }
    }

    /** Decides the next batch (pending, or deferred and due); the number of recipients decided. */
    Uni<Integer> batch(Mutiny.Session s, Work w, boolean deferred) {
        String sql = CampaignRunSql.batch(w.plan(), w.campaign().id(), w.caps(), deferred);
        return s.createNativeQuery(sql, Object[].class).setParameter(1, w.runId()).setParameter(2, config.batchSize())
                .getResultList().flatMap(rows -> rows.isEmpty() ? Uni.createFrom().item(0)
                        : act(s, w, rows).replaceWith(rows.size()));
    }

    private Uni<Void> act(Mutiny.Session s, Work w, List<Object[]> rows) {
        Map<String, TouchpointContent> contents = new HashMap<>();
        w.campaign().variants().forEach(v -> contents.put(v.key(), v.content()));
        Decided decided = new Decided();
        List<Object[]> sending = new ArrayList<>();
        List<Reach> reaches = new ArrayList<>();
        for (Object[] r : rows) {
            UUID customer = (UUID) r[0];
            String suppressed = (String) r[3];
            String capped = (String) r[4];
            Instant quietUntil = Rows.instant(r[5]);
            if (suppressed == null && capped != null) {
                decided.add(customer, (String) r[1], "CAPPED", capped, null, null);
            } else if (suppressed == null && quietUntil != null) {
                decided.add(customer, (String) r[1], "DEFERRED", "deferred: quiet hours until " + quietUntil,
                        quietUntil, null);
            } else {
                sending.add(r);
                reaches.add(new Reach(customer, (String) r[2], contents.get((String) r[2])));
            }
        }
        Uni<List<Reached>> sent = reaches.isEmpty() ? Uni.createFrom().item(List.of())
                : touchpoints.reachForCampaign(w.runId(), w.campaign().channel(), w.campaign().purpose(), reaches);
        return sent.flatMap(reached -> {
            Map<String, Long> reachedByVariant = new HashMap<>();
            for (int i = 0; i < reached.size(); i++) {
                Reached done = reached.get(i);
                decided.add((UUID) sending.get(i)[0], (String) sending.get(i)[1],
                        done.suppressed() == null ? "REACHED" : "SUPPRESSED", done.suppressed(), null,
                        done.touchpointId());
                if (done.suppressed() == null) {
                    reachedByVariant.merge((String) sending.get(i)[2], 1L, Long::sum);
                }
            }
            Uni<Integer> counted = reachedByVariant.isEmpty() ? Uni.createFrom().item(0)
                    : s.createNativeQuery(CampaignRunSql.REACHED).setParameter(1, w.runId())
                            .setParameter(2, reachedByVariant.keySet().toArray(String[]::new))
                            .setParameter(3, reachedByVariant.values().toArray(Long[]::new)).executeUpdate();
            return counted.flatMap(n -> s.createNativeQuery(CampaignRunSql.DECIDE).setParameter(1, w.runId())
                    .setParameter(2, decided.customers.toArray(UUID[]::new))
                    .setParameter(3, decided.entries.toArray(String[]::new))
                    .setParameter(4, decided.outcomes.toArray(String[]::new))
                    .setParameter(5, decided.reasons.toArray(String[]::new))
                    .setParameter(6, decided.dues.toArray(String[]::new))
                    .setParameter(7, decided.touchpoints.toArray(UUID[]::new)).executeUpdate()).replaceWithVoid();
        });
    }
}
