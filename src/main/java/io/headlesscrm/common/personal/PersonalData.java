package io.headlesscrm.common.personal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * What one feature holds about a customer, for a subject access request, an erasure and a merge. Every feature that
 * keeps rows by customer implements it for its own tables, so the three cover every table without one class reading
 * all of them. The methods run in the caller's Hibernate Reactive session (and transaction); {@link #erase} and
 * {@link #merge} run before the customer's row is deleted, whose deletion then cascades to what is left.
 */
public interface PersonalData {

    /** The section's name in the subject access document, e.g. {@code events}. */
    String section();

    /** Everything held about the customer, as JSON (an array of rows, or an object of such arrays). */
    Uni<JsonNode> held(UUID customerId);

    /**
     * Removes what the customer's deletion would not, or makes it unlinkable to them; the number of rows removed,
     * unlinked or about to go with the customer's row (the tombstone's counts).
     */
    Uni<Long> erase(UUID customerId);

    /**
     * Moves what is held about {@code from} to {@code into} (merging where both have something, as the feature's
     * rule says), before {@code from}'s row is deleted; the number of rows moved.
     */
    Uni<Long> merge(UUID from, UUID into);

    /**
     * On erasure, after {@link #erase}: replaces the customer's identifying {@code values} (id, external ids, email,
     * phone) with {@code [erased]} where this feature keeps them in rows that are not the customer's own, such as a
     * job's filter or an audit entry's changes; the number of rows redacted. Most features keep none.
     */
    default Uni<Long> redact(List<String> values) {
        return Uni.createFrom().item(0L);
    }

    /**
     * Runs {@code work} for each holder, one after another (they share the caller's session), in the order of their
     * sections; the results by section.
     */
    static <T> Uni<Map<String, T>> inTurn(Iterable<PersonalData> holders, Function<PersonalData, Uni<T>> work) {
        List<PersonalData> sorted = new ArrayList<>();
        holders.forEach(sorted::add);
        sorted.sort(Comparator.comparing(PersonalData::section));
        Map<String, T> results = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PersonalData holder : sorted) {
            chain = chain.call(() -> work.apply(holder).invoke(result -> results.put(holder.section(), result)));
        }
        return chain.replaceWith(results);
    }
}
