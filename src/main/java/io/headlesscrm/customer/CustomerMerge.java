package io.headlesscrm.customer;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.personal.PersonalData;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.security.audit.Change;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The customer's part of a merge: the survivor's profile by the stated rule, the merged-away row's deletion, and the
 * aliases through which its id and external id keep reaching the survivor. Runs in the caller's transaction, after
 * every feature has moved what it holds ({@link PersonalData#merge}).
 */
@ApplicationScoped
public class CustomerMerge {

    /** Whose values win where both customers have one; the other fills the gaps. */
    @Schema(name = "MergeRule", description = "SURVIVOR: the survivor's values win (the default); MERGED: the merged-away"
            + " customer's win; NEWEST: the most recently updated customer's win. Either way a field or attribute only"
            + " one has is kept, registeredAt is the earlier and lastActiveAt the later of the two.")
    public enum Rule {
        SURVIVOR, MERGED, NEWEST
    }

    @Inject
    CustomerRepository repository;
    @Inject
    CustomerService service;
    @Inject
    AuditLog audit;
    @Inject
    Outbox outbox;

    /** The two customers, locked (in id order, against concurrent merges and background work); null when absent. */
    public Uni<List<Customer>> lock(UUID survivor, UUID merged) {
        UUID first = survivor.compareTo(merged) < 0 ? survivor : merged;
        UUID second = first.equals(survivor) ? merged : survivor;
        return repository.lockAgainstWork(first).flatMap(v -> repository.lockAgainstWork(second))
                .flatMap(v -> repository.findById(survivor, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                .flatMap(s -> repository.findById(merged, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                        .map(m -> java.util.Arrays.asList(s, m)));
    }

    /**
     * Folds {@code merged} into {@code survivor}: the profile by {@code rule}, the merged row deleted, aliases written
     * (the merged customer's own and those it had), one audit row on each id and customer.merged; the survivor after.
     */
    public Uni<CustomerView> fold(Customer survivor, Customer merged, Rule rule, Instant now) {
        Map<String, Object> before = service.snapshot(survivor);
        CustomerInput profile = profile(survivor, merged, rule);
        String mergedExternalId = merged.getExternalId();
        boolean takesExternalId = survivor.getExternalId() == null && mergedExternalId != null;
        Map<String, Object> mergedBefore = service.snapshot(merged);
        return Panache.getSession().flatMap(s -> s.createNativeQuery("UPDATE customer_alias SET customer_id = ?2"
                + " WHERE customer_id = ?1").setParameter(1, merged.getId()).setParameter(2, survivor.getId())
                .executeUpdate())
                .call(() -> service.remove(merged))
                .call(() -> Panache.getSession().flatMap(s -> s.createNativeQuery("INSERT INTO customer_alias (alias_id,"
                        + " customer_id, external_id, merged_at) VALUES (?1, ?2, ?3, ?4)").setParameter(1, merged.getId())
                        .setParameter(2, survivor.getId()).setParameter(3, takesExternalId ? null : mergedExternalId)
                        .setParameter(4, now).executeUpdate()))
                .invoke(() -> CustomerService.apply(survivor, takesExternalId ? profile.withExternalId(mergedExternalId)
                        : profile))
                .call(() -> repository.flush())
                .call(() -> audit.recorded(CustomerService.ENTITY, survivor.getId(), AuditLog.Action.MERGE,
                        withMerged(Change.between(before, service.snapshot(survivor)), merged.getId())))
                .call(() -> audit.recorded(CustomerService.ENTITY, merged.getId(), AuditLog.Action.MERGE,
                        Change.between(mergedBefore, Map.of("mergedInto", survivor.getId().toString()))))
                .map(v -> CustomerView.of(survivor))
                .call(view -> outbox.enqueue(List.of(new Outbox.Event(EventTypes.CUSTOMER_MERGED, survivor.getId(),
                        merged(view, merged.getId(), mergedExternalId)))));
    }

    private static Map<String, Change> withMerged(Map<String, Change> changes, UUID mergedId) {
        Map<String, Change> all = new LinkedHashMap<>(changes);
        all.putAll(Change.between(Map.of(), Map.of("merged", mergedId.toString())));
        return all;
    }

    private static Map<String, Object> merged(CustomerView survivor, UUID mergedId, String mergedExternalId) {
        Map<String, Object> data = new HashMap<>();
        data.put("customer", survivor);
        data.put("mergedId", mergedId);
        data.put("mergedExternalId", mergedExternalId);
        return data;
    }

    /** The survivor's profile after the merge (its external id its own; see {@link #fold}). */
    static CustomerInput profile(Customer survivor, Customer merged, Rule rule) {
        boolean survivorWins = switch (rule) {
            case SURVIVOR -> true;
            case MERGED -> false;
            case NEWEST -> !merged.getUpdatedAt().isAfter(survivor.getUpdatedAt());
        };
        Customer win = survivorWins ? survivor : merged;
        Customer other = survivorWins ? merged : survivor;
        Map<String, Object> attributes = new HashMap<>(other.getAttributes());
        attributes.putAll(win.getAttributes());
        return new CustomerInput(survivor.getExternalId(), win.getType(), win.getName(),
                either(win.getEmail(), other.getEmail()), either(win.getPhone(), other.getPhone()),
                earlier(survivor.getRegisteredAt(), merged.getRegisteredAt()),
                later(survivor.getLastActiveAt(), merged.getLastActiveAt()), attributes);
    }

    private static <T> T either(T first, T second) {
        return first != null ? first : second;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
