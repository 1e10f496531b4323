package io.headlesscrm.campaign;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.campaign.CampaignRunStep.Work;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.headlesscrm.webhook.Outbox;
import io.smallrye.mutiny.Uni;

/**
 * Decides one batch of a run and acts on it, in the step's transaction and in one statement
 * ({@link CampaignRunSql#send}): a customer a cap stops is CAPPED (naming the cap), one in quiet hours DEFERRED until
 * they end, and everyone else is sent their variant, written the touchpoint package's way, which suppresses the
 * touchpoint of a customer who opted out (SUPPRESSED) or queues it (REACHED). Every decision is recorded on the
 * recipient, with its reason.
 */
@ApplicationScoped
class CampaignDecisions {

    @Inject
    CampaignsConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;

    /** Decides the next batch (pending, or deferred and due); the number of recipients decided. */
    Uni<Integer> batch(Mutiny.Session s, Work w, boolean deferred) {
        List<CampaignInput.Variant> variants = w.campaign().variants();
        String[] keys = variants.stream().map(CampaignInput.Variant::key).toArray(String[]::new);
        String[] contents = variants.stream().map(v -> json(v.content())).toArray(String[]::new);
        return s.createNativeQuery(CampaignRunSql.send(w.plan(), w.campaign(), w.caps(), deferred), Object[].class)
                .setParameter(1, w.runId()).setParameter(2, config.batchSize()).setParameter(3, keys)
                .setParameter(4, contents).setParameter(5, TouchpointSql.newIds(config.batchSize())).getSingleResult()
                .call(r -> ((Number) r[1]).longValue() > 0 ? outbox.wakeAfterCommit() : Uni.createFrom().voidItem())
                .map(r -> ((Number) r[0]).intValue());
    }

    private String json(Object content) {
        try {
            return mapper.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a variant's content", e);
        }
    }
}
