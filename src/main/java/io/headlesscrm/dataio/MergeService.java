package io.headlesscrm.dataio;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.Customer;
import io.headlesscrm.customer.CustomerMerge;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.customer.PersonalData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Merges: in one transaction every feature moves what it holds about the merged-away customer to the survivor
 * ({@link PersonalData#merge}), then {@link CustomerMerge} folds the profiles and leaves the aliases. A dry run does all
 * of it and rolls back, so it shows exactly what the merge would do.
 */
@ApplicationScoped
public class MergeService {

    @Schema(name = "MergeInput")
    public record Input(
            @Schema(required = true, description = "The customer folded into this one; its id and external id become"
                    + " aliases of this one") UUID mergeId,
            @Schema(description = "Whose values win where both have one (default SURVIVOR)") CustomerMerge.Rule rule,
            @Schema(description = "Show the result and what would move, changing nothing") Boolean dryRun) {
    }

    @Schema(name = "MergeResult")
    public record Result(
            @Schema(required = true, description = "The survivor as it is (or would be) after the merge") CustomerView customer,
            @Schema(required = true) UUID mergedId,
            @Schema(required = true, description = "Rows moved to the survivor, by section (events, touchpoints, tags…)")
            Map<String, Long> moved,
            @Schema(required = true) boolean dryRun) {
    }

    @Inject
    CustomerMerge customers;
    @Inject
    Instance<PersonalData> holders;

    public Uni<Result> merge(UUID id, Input input) {
        if (input == null || input.mergeId() == null) {
            throw ProblemException.validation(List.of(new FieldError("mergeId", "must not be null")));
        }
        if (input.mergeId().equals(id)) {
            throw ProblemException.validation(List.of(new FieldError("mergeId",
                    "is the customer itself: a customer cannot be merged into itself")));
        }
        boolean dryRun = Boolean.TRUE.equals(input.dryRun());
        CustomerMerge.Rule rule = input.rule() == null ? CustomerMerge.Rule.SURVIVOR : input.rule();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> customers.lock(id, input.mergeId()).flatMap(both -> {
            Customer survivor = both.get(0);
            Customer merged = both.get(1);
            if (survivor == null || merged == null) {
                return missing(survivor == null ? id : input.mergeId(), survivor == null ? null : "mergeId");
            }
            return PersonalData.inTurn(holders, holder -> holder.merge(merged.getId(), survivor.getId()))
                    .flatMap(moved -> customers.fold(survivor, merged, rule, now)
                            .call(view -> dryRun ? Panache.currentTransaction().invoke(tx -> tx.markForRollback())
                                    : Uni.createFrom().voidItem())
                            .map(view -> new Result(view, merged.getId(), moved, dryRun)));
        }));
    }

    /** 404 for a customer that does not exist, 410 for an erased one; {@code field} names the body's id. */
    private static <T> Uni<T> missing(UUID id, String field) {
        return CustomerErasures.erasedAt(id).map(at -> {
            if (at != null) {
                throw CustomerErasures.erased(id, at);
            }
            if (field != null) {
                throw ProblemException.validation(List.of(new FieldError(field, "no customer has this id")));
            }
            throw ProblemException.notFound("Customer", id);
        });
    }
}
