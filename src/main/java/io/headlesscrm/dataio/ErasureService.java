package io.headlesscrm.dataio;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.customer.Customer;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerService;
import io.headlesscrm.common.personal.HeldRows;
import io.headlesscrm.common.personal.PersonalData;
import io.headlesscrm.customer.Suppressions;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Erasure: in one transaction every feature removes what it holds about the customer or makes it unlinkable
 * ({@link PersonalData}), the customer's row goes (cascading to the rest), their contact data goes on the
 * suppression list, a tombstone keeps the counts, the audit log says who erased whom, and endpoints get
 * customer.erased. Export files made before are withdrawn and running exports start over, as they may hold them.
 */
@ApplicationScoped
public class ErasureService {

    /** The tombstone's count of rows that are not theirs but mentioned them, and were redacted. */
    static final String REDACTED = "redacted";

    @Inject
    CustomerRepository customers;
    @Inject
    CustomerService customerService;
    @Inject
    Instance<PersonalData> holders;
    @Inject
    Suppressions suppressions;
    @Inject
    AuditLog audit;
    @Inject
    Outbox outbox;
    @Inject
    ObjectMapper mapper;

    /** What an erasure removed, as its tombstone keeps it. */
    public record Erasure(UUID customerId, Instant erasedAt, Map<String, Long> removed) {
    }

    public Uni<Erasure> erase(UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> customers.findById(id).flatMap(c -> c == null
                ? CustomerErasures.<Erasure>absent(customers, id)
                : customers.lockAgainstWork(id).flatMap(v -> eraseLoaded(c, now))));
    }

    private Uni<Erasure> eraseLoaded(Customer c, Instant now) {
        UUID id = c.getId();
        Map<String, Object> data = new LinkedHashMap<>();
        // the id only: the message outlives the erasure in the delivery log, so it carries nothing else of theirs
        data.put("id", id);
        data.put("erasedAt", now);
        List<Suppressions.Value> contact = new ArrayList<>(Suppressions.of(c.getExternalId(), c.getEmail(),
                c.getPhone()));
        // the external ids of customers merged into them are theirs too (aliases, deleted with them)
        return PersonalData.inTurn(holders, holder -> holder.erase(id)).flatMap(removed -> customers.aliasExternalIds(id)
                .invoke(ids -> ids.forEach(ext -> contact.addAll(Suppressions.of(ext, null, null))))
                .map(ids -> identifying(c, ids))
                .call(values -> PersonalData.inTurn(holders, holder -> holder.redact(values)).invoke(redacted ->
                        redacted.values().forEach(n -> removed.merge(REDACTED, n, Long::sum))))
                .call(() -> customerService.remove(c))
                .call(() -> suppressions.add(id, contact, now))
                .call(values -> withdrawExports(values).invoke(n -> removed.merge(REDACTED, n, Long::sum)))
                .call(() -> tombstone(id, now, removed))
                .call(() -> audit.recorded(CustomerErasures.ENTITY, id, AuditLog.Action.ERASE, Map.of()))
                .call(() -> outbox.enqueue(List.of(new Outbox.Event(EventTypes.CUSTOMER_ERASED, id, data))))
                .replaceWith(() -> new Erasure(id, now, removed)));
    }

    /** What names them outside their own rows: their id, external ids (their own and merged ones'), email and phone. */
    private static List<String> identifying(Customer c, List<String> aliasExternalIds) {
        List<String> values = new ArrayList<>(List.of(c.getId().toString()));
        Stream.concat(Stream.of(c.getExternalId(), c.getEmail(), c.getPhone()), aliasExternalIds.stream())
                .filter(v -> v != null && !v.isBlank()).forEach(values::add);
        return values;
    }

    private Uni<Void> tombstone(UUID id, Instant at, Map<String, Long> removed) {
        String json;
        try {
            json = mapper.writeValueAsString(removed);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO customer_erasure (id, erased_at,"
                + " removed) VALUES (?1, ?2, CAST(CAST(?3 AS text) AS jsonb))").setParameter(1, id).setParameter(2, at)
                .setParameter(3, json).executeUpdate()).replaceWithVoid();
    }

    /**
     * Exports may hold the customer: finished files expire now, running exports start again from their first page,
     * and a job's filter that names them is redacted; the number of such jobs.
     */
    private Uni<Long> withdrawExports(List<String> values) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(ExportWorker.LOCK_WITHDRAWN, Long.class)
                .getSingleResult().flatMap(locked -> s.createNativeQuery(ExportWorker.WITHDRAW).executeUpdate()))
                .chain(() -> HeldRows.redacted("UPDATE export_job SET filter = redact_jsonb(filter, CAST(?1 AS"
                        + " text[])) WHERE mentions(filter, CAST(?1 AS text[]))", values));
    }
}
