package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The one way touchpoints are created, for the API and campaign runs alike: whom they reach and whether consent and
 * contact details allow it, then the rows, their first history lines and a touchpoint.created event per queued one,
 * each set in one statement, in the caller's transaction.
 */
@ApplicationScoped
class TouchpointWriter {

    @Inject
    CustomerRepository customers;
    @Inject
    TouchpointRepository repository;
    @Inject
    Outbox outbox;

    /** Whom a touchpoint reaches: as the touchpoint.created event names them for the partner who sends it. */
    record Recipient(UUID customerId, String externalId, String name, String email, String phone) {
    }

    /**
     * Writes new touchpoints in the caller's transaction: the rows and their first history lines in one statement
     * each, and a touchpoint.created event for each queued one. The one way touchpoints are created.
     */
    Uni<Void> written(List<Touchpoint> fresh, Map<UUID, Recipient> recipients, Instant now) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Outbox.Event> events = new ArrayList<>();
        for (Touchpoint t : fresh) {
            if (t.getStatus() == TouchpointStatus.QUEUED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("touchpoint", TouchpointView.of(t, null));
                data.put("recipient", recipients.get(t.getCustomerId()));
                events.add(new Outbox.Event(TouchpointService.CREATED, data));
            }
        }
        return repository.insertAll(fresh, now).call(() -> firstStatuses(fresh, now))
                .call(() -> outbox.enqueue(events)).replaceWithVoid();
    }

    /** Why a touchpoint is suppressed (the customer opted out of its channel, or lacks the contact it needs), or null. */
    static String suppression(UUID customerId, Channel channel, Recipient recipient, Set<String> optOuts) {
        if (optOuts.contains(customerId + "/" + channel)) {
            return TouchpointSql.Suppression.optedOut(channel);
        }
        if (channel.needsPhone() && recipient.phone() == null) {
            return TouchpointSql.Suppression.NO_PHONE;
        }
        if (channel.needsEmail() && recipient.email() == null) {
            return TouchpointSql.Suppression.NO_EMAIL;
        }
        return null;
    }

    /** Each new touchpoint's first history line, all in one statement. */
    private static Uni<Void> firstStatuses(List<Touchpoint> fresh, Instant now) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO touchpoint_status_change"
                + " (touchpoint_id, status, reason, occurred_at, recorded_at) SELECT t.id, t.status, t.reason, ?4, ?4"
                + " FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS text[]), CAST(?3 AS text[])) AS t(id, status, reason)")
                .setParameter(1, fresh.stream().map(Touchpoint::getId).toArray(UUID[]::new))
                .setParameter(2, fresh.stream().map(t -> t.getStatus().name()).toArray(String[]::new))
                .setParameter(3, fresh.stream().map(Touchpoint::getStatusReason).toArray(String[]::new))
                .setParameter(4, now).executeUpdate()).replaceWithVoid();
    }

    /** The customer package says who the items' customers are; this one does not read its table. */
    Uni<Map<UUID, Recipient>> recipients(Set<UUID> ids) {
        return customers.contacts(ids)
                .map(contacts -> {
                    Map<UUID, Recipient> byId = new HashMap<>();
                    contacts.forEach((id, c) -> byId.put(id, new Recipient(id, c.externalId(), c.name(), c.email(),
                            c.phone())));
                    return byId;
                });
    }

    /** "customerId/CHANNEL" of every opt-out among the items' customers. */
    Uni<Set<String>> optOuts(Set<UUID> customerIds) {
        UUID[] ids = customerIds.toArray(UUID[]::new);
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT customer_id, channel FROM customer_consent"
                + " WHERE status = 'OPTED_OUT' AND customer_id = ANY(?1)", Object[].class).setParameter(1, ids)
                .getResultList()).map(rows -> {
                    Set<String> set = new HashSet<>();
                    rows.forEach(r -> set.add(r[0] + "/" + r[1]));
                    return set;
                });
    }

}
