package io.headlesscrm.campaign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Starts the campaigns whose time has come: each becomes RUNNING with a new run, in one transaction, claimed with
 * {@code SKIP LOCKED} so two instances never start the same one. A batch run materialises its audience in its first
 * step; a run triggered by entry starts taking entries from now.
 */
@ApplicationScoped
class CampaignStarter {

    private static final String DUE = "WITH due AS (SELECT id FROM campaign WHERE status = 'SCHEDULED'"
            + " AND next_run_at <= now() ORDER BY next_run_at LIMIT 20 FOR UPDATE SKIP LOCKED)"
            + " UPDATE campaign c SET status = 'RUNNING', next_run_at = NULL, updated_at = now(), version = c.version + 1"
            + " FROM due WHERE c.id = due.id RETURNING c.id, c.definition -> 'schedule' ->> 'type'";
    private static final String INSERT = "INSERT INTO campaign_run (id, campaign_id, status, trigger, entries_until,"
            + " created_at, started_at) SELECT r.id, r.campaign_id, CASE WHEN r.trigger = 'ENTRY' THEN 'SENDING'"
            + " ELSE 'MATERIALISING' END, r.trigger, CASE WHEN r.trigger = 'ENTRY' THEN now() END, now(),"
            + " CASE WHEN r.trigger = 'ENTRY' THEN now() END"
            + " FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS uuid[]), CAST(?3 AS text[])) AS r(id, campaign_id, trigger)";

    @Inject
    Outbox outbox;

    /** Starts what is due; the number of runs started. */
    Uni<Integer> startDue() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(DUE, Object[].class)
                .getResultList().flatMap(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    UUID[] runs = new UUID[due.size()];
                    UUID[] campaigns = new UUID[due.size()];
                    String[] triggers = new String[due.size()];
                    List<Outbox.Event> events = new ArrayList<>();
                    for (int i = 0; i < runs.length; i++) {
                        runs[i] = UuidVersion7Strategy.INSTANCE.generateUuid(null);
                        campaigns[i] = (UUID) due.get(i)[0];
                        triggers[i] = (String) due.get(i)[1];
                        if (triggers[i].equals("ENTRY")) {
                            events.add(started(campaigns[i], runs[i], triggers[i], null));
                        }
                    }
                    return s.createNativeQuery(INSERT).setParameter(1, runs).setParameter(2, campaigns)
                            .setParameter(3, triggers).executeUpdate().call(() -> outbox.enqueue(events));
                })));
    }

    /** The campaign.run_started event: when a batch run has materialised its audience, or an entry run opened. */
    static Outbox.Event started(UUID campaignId, UUID runId, String trigger, Long audienceSize) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", campaignId);
        data.put("runId", runId);
        data.put("trigger", trigger);
        data.put("audienceSize", audienceSize);
        return new Outbox.Event(EventTypes.CAMPAIGN_RUN_STARTED, null, data);
    }
}
