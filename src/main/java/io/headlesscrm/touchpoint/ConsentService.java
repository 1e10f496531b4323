package io.headlesscrm.touchpoint;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.Rows;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.security.audit.Change;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Consent per customer and channel: read by touchpoint creation, which suppresses reaches the customer refused. */
@ApplicationScoped
public class ConsentService {

    static final String ENTITY = "customer-consent";

    @Inject
    CustomerRepository customers;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;

    public Uni<List<Consent.View>> list(UUID customerId) {
        return Panache.withSession(() -> customerExists(customerId).flatMap(v -> Panache.getSession().flatMap(s -> s
                .createNativeQuery("SELECT channel, status, source, updated_at FROM customer_consent"
                        + " WHERE customer_id = ?1 ORDER BY channel", Object[].class)
                .setParameter(1, customerId).getResultList())))
                .map(rows -> rows.stream().map(r -> new Consent.View(Channel.valueOf((String) r[0]),
                        Consent.Status.valueOf((String) r[1]), (String) r[2], Rows.instant(r[3]))).toList());
    }

    /** Records the customer's consent on a channel, replacing what was there; audited. */
    public Uni<Consent.View> set(UUID customerId, Channel channel, Consent.Input input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String id = customerId + "/" + channel;
        return Panache.withTransaction(() -> customerExists(customerId).flatMap(v -> Panache.getSession().flatMap(s -> s
                .createNativeQuery("SELECT status, source FROM customer_consent WHERE customer_id = ?1 AND channel = ?2"
                        + " FOR UPDATE", Object[].class)
                .setParameter(1, customerId).setParameter(2, channel.name()).getResultList()
                .flatMap(before -> s.createNativeQuery("INSERT INTO customer_consent (customer_id, channel, status,"
                        + " source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (customer_id, channel)"
                        + " DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at")
                        .setParameter(1, customerId).setParameter(2, channel.name()).setParameter(3, input.status().name())
                        .setParameter(4, input.source()).setParameter(5, now).executeUpdate()
                        .call(() -> before.isEmpty()
                                ? audit.created(ENTITY, id, fields(input.status().name(), input.source()))
                                : audit.updated(ENTITY, id, fields((String) before.get(0)[0], (String) before.get(0)[1]),
                                        fields(input.status().name(), input.source())))))))
                .map(v -> new Consent.View(channel, input.status(), input.source(), now));
    }

    /** A consent a bulk write records. */
    public record Grant(UUID customerId, Channel channel, Consent.Status status) {
    }

    /**
     * Rows already as given are left alone; the others are inserted or replaced, reading what they replace in the
     * same statement (for the audit rows).
     */
    private static final String SET_ALL = "WITH input AS (SELECT * FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS text[]),"
            + " CAST(?3 AS text[])) AS i(customer_id, channel, status)), before AS (SELECT c.customer_id, c.channel,"
            + " c.status, c.source FROM customer_consent c JOIN input i USING (customer_id, channel) FOR UPDATE OF c),"
            + " up AS (INSERT INTO customer_consent (customer_id, channel, status, source, updated_at)"
            + " SELECT customer_id, channel, status, ?4, ?5 FROM input ON CONFLICT (customer_id, channel) DO UPDATE"
            + " SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at"
            + " WHERE (customer_consent.status, customer_consent.source) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.source)"
            + " RETURNING customer_id, channel, status)"
            + " SELECT up.customer_id, up.channel, up.status, b.status, b.source FROM up LEFT JOIN before b USING (customer_id, channel)";

    /**
     * Records many consents from {@code source} in the caller's transaction and one statement (the last of several for
     * one customer and channel wins), each change audited as {@link #set} audits it; the number changed.
     */
    public Uni<Integer> setAll(List<Grant> grants, String source, Actor actor, String requestId) {
        Map<String, Grant> last = new LinkedHashMap<>();
        grants.forEach(g -> last.put(g.customerId() + "/" + g.channel(), g));
        if (last.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Grant> each = List.copyOf(last.values());
        return Panache.getSession().flatMap(s -> s.createNativeQuery(SET_ALL, Object[].class)
                .setParameter(1, each.stream().map(Grant::customerId).toArray(UUID[]::new))
                .setParameter(2, each.stream().map(g -> g.channel().name()).toArray(String[]::new))
                .setParameter(3, each.stream().map(g -> g.status().name()).toArray(String[]::new))
                .setParameter(4, source).setParameter(5, Instant.now().truncatedTo(ChronoUnit.MICROS)).getResultList())
                .call(rows -> audit.appendAll(actor, requestId, ENTITY, rows.stream().map(r -> new AuditLog.Row(
                        r[0] + "/" + r[1], r[3] == null ? AuditLog.Action.CREATE : AuditLog.Action.UPDATE,
                        Change.between(r[3] == null ? Map.of() : fields((String) r[3], (String) r[4]),
                                fields((String) r[2], source)))).toList()))
                .map(List::size);
    }

    private static Map<String, Object> fields(String status, String source) {
        return source == null ? Map.of("status", status) : Map.of("status", status, "source", source);
    }

    private Uni<Void> customerExists(UUID customerId) {
        return customers.exists(customerId).flatMap(exists -> exists ? Uni.createFrom().voidItem()
                : customers.missing(customerId));
    }
}
