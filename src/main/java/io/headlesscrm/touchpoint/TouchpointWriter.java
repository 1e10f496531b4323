package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes the API's touchpoints: whom they reach and whether consent and contact details allow it, then the rows
 * and a touchpoint.created event per queued one, through {@link TouchpointSql#created} (the
 * statement campaign runs write theirs with), in the caller's transaction.
 */
@ApplicationScoped
class TouchpointWriter {

    @Inject
    CustomerRepository customers;
    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;

    /** Whom a touchpoint reaches: as the touchpoint.created event names them for the partner who sends it. */
    record Recipient(UUID customerId, String externalId, String name, String email, String phone) {
    }

    // the API's new touchpoints (never a campaign run's), as the rows TouchpointSql.created writes
    private static final String WRITE = "WITH fresh AS MATERIALIZED (SELECT t.id, t.customer_id, t.channel, t.purpose,"
            + " CAST(t.content AS jsonb) AS content, t.source, t.status, t.reason, CAST(?1 AS timestamptz) AS created_at,"
            + " CAST(NULL AS uuid) AS run_id, CAST(NULL AS text) AS variant, CAST(NULL AS uuid) AS lead_id FROM unnest(CAST(?2 AS uuid[]),"
            + " CAST(?3 AS uuid[]), CAST(?4 AS text[]), CAST(?5 AS text[]), CAST(?6 AS text[]), CAST(?7 AS text[]),"
            + " CAST(?8 AS text[]), CAST(?9 AS text[])) AS t(id, customer_id, channel, purpose, content, source, status,"
            + " reason)), " + TouchpointSql.created("fresh") + " SELECT count(*) FROM touchpoint_messages";

    /**
     * Writes new touchpoints (ids assigned, created at {@code now}) in the caller's transaction, in one statement:
     * the rows and a touchpoint.created message for each queued one.
     */
    Uni<Void> written(List<Touchpoint> fresh, Instant now) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = fresh.size();
        Object[][] columns = { new UUID[n], new UUID[n], new String[n], new String[n], new String[n], new String[n],
            new String[n], new String[n] };
        Map<Object, String> json = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            Touchpoint t = fresh.get(i);
            Object[] row = { t.getId(), t.getCustomerId(), t.getChannel().name(), t.getPurpose(),
                json.computeIfAbsent(t.getContent(), c -> Jsons.text(mapper, c)), t.getSource().name(), t.getStatus().name(),
                t.getStatusReason() };
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        return Panache.getSession().flatMap(s -> {
            var q = s.createNativeQuery(WRITE, Long.class).setParameter(1, now);
            for (int c = 0; c < columns.length; c++) {
                q.setParameter(c + 2, columns[c]);
            }
            return outbox.write(q);
        }).replaceWithVoid();
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
