package io.headlesscrm.customer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.customer.CustomerBatch.MatchKey;
import io.smallrye.mutiny.Uni;

/**
 * The statements of a {@link CustomerBatch}, in the caller's session and transaction: the existing customers its rows
 * may touch, read and locked before the rows are applied, and its new customers inserted in one statement after.
 */
@ApplicationScoped
class CustomerBatchSql {

    @Inject
    CustomerRepository repository;
    @Inject
    ObjectMapper mapper;

    /**
     * The batch's new customers as they ended up (a later row may have changed one), in one statement: a fraction of
     * what persisting them one by one costs, and one run of the insert's statement triggers.
     */
    private static final String INSERT = "INSERT INTO customer (id, external_id, type, name, email, phone, registered_at,"
            + " last_active_at, attributes, created_at, updated_at, version) SELECT id, external_id, type, name, email,"
            + " phone, CAST(registered_at AS timestamptz), CAST(last_active_at AS timestamptz), CAST(attributes AS jsonb),"
            + " CAST(created_at AS timestamptz), CAST(updated_at AS timestamptz), 0 FROM unnest(CAST(?1 AS uuid[]),"
            + " CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS text[]), CAST(?5 AS text[]), CAST(?6 AS text[]),"
            + " CAST(?7 AS text[]), CAST(?8 AS text[]), CAST(?9 AS text[]), CAST(?10 AS text[]), CAST(?11 AS text[]))"
            + " AS c(id, external_id, type, name, email, phone, registered_at, last_active_at, attributes, created_at,"
            + " updated_at)";

    /** Inserts the batch's new customers ({@link #INSERT}). */
    Uni<Void> insert(List<Customer> created) {
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = created.size();
        UUID[] ids = new UUID[n];
        String[][] text = new String[10][n];
        try {
            for (int i = 0; i < n; i++) {
                Customer c = created.get(i);
                ids[i] = c.getId();
                text[0][i] = c.getExternalId();
                text[1][i] = c.getType().name();
                text[2][i] = c.getName();
                text[3][i] = c.getEmail();
                text[4][i] = c.getPhone();
                text[5][i] = c.getRegisteredAt() == null ? null : c.getRegisteredAt().toString();
                text[6][i] = c.getLastActiveAt() == null ? null : c.getLastActiveAt().toString();
                text[7][i] = mapper.writeValueAsString(c.getAttributes());
                text[8][i] = c.getCreatedAt().toString();
                text[9][i] = c.getUpdatedAt().toString();
            }
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return repository.getSession().flatMap(s -> {
            var query = s.createNativeQuery(INSERT).setParameter(1, ids);
            for (int i = 0; i < text.length; i++) {
                query.setParameter(i + 2, text[i]);
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /**
     * The customers the rows may touch, locked: by the match key, by every external id a row names, and by those of
     * them that are aliases (a merged-away customer's external id names the survivor).
     */
    Uni<Found> existing(MatchKey key, Set<String> keys, Set<String> externalIds) {
        if (externalIds.isEmpty()) {
            return customers(key, keys, externalIds).map(found -> new Found(found, Map.of()));
        }
        return repository.getSession().flatMap(s -> s.createNativeQuery("SELECT external_id, customer_id FROM"
                + " customer_alias WHERE external_id = ANY(?1)", Object[].class)
                .setParameter(1, externalIds.toArray(String[]::new)).getResultList())
                .flatMap(aliases -> customers(key, keys, externalIds, aliases.stream().map(r -> (UUID) r[1]).toList())
                        .map(found -> {
                            Map<UUID, Customer> byId = new HashMap<>();
                            found.forEach(c -> byId.put(c.getId(), c));
                            Map<String, Customer> survivors = new HashMap<>();
                            aliases.forEach(r -> survivors.put((String) r[0], byId.get((UUID) r[1])));
                            survivors.values().removeIf(java.util.Objects::isNull);
                            return new Found(found, survivors);
                        }));
    }

    /** The customers found, and the survivors that aliased external ids name. */
    record Found(List<Customer> customers, Map<String, Customer> aliases) {
    }

    private Uni<List<Customer>> customers(MatchKey key, Set<String> keys, Set<String> externalIds) {
        return customers(key, keys, externalIds, List.of());
    }

    private Uni<List<Customer>> customers(MatchKey key, Set<String> keys, Set<String> externalIds, List<UUID> ids) {
        String where = (key == MatchKey.EMAIL ? "externalId in ?1 or lower(email) in ?2" : "externalId in ?1")
                + (ids.isEmpty() ? "" : " or id in ?" + (key == MatchKey.EMAIL ? 3 : 2));
        List<String> emails = key == MatchKey.EMAIL ? List.copyOf(keys) : List.of();
        if (externalIds.isEmpty() && emails.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> parameters = new ArrayList<>(List.of(List.copyOf(externalIds)));
        if (key == MatchKey.EMAIL) {
            parameters.add(emails);
        }
        if (!ids.isEmpty()) {
            parameters.add(ids);
        }
        var query = repository.find(where, parameters.toArray());
        return query.withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
