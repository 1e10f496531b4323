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
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.common.personal.PersonalData;
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
    CustomerRepository repository;
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
        // a mergeId that was merged away already names its survivor (an alias); the path's id answers 308 (absent)
        return Panache.withTransaction(() -> repository.survivorsOf(List.of(input.mergeId())).flatMap(aliased -> {
            UUID mergeId = aliased.getOrDefault(input.mergeId(), input.mergeId());
            if (mergeId.equals(id)) {
                throw ProblemException.validation(List.of(new FieldError("mergeId",
                        "was merged into this customer already")));
            }
            return customers.lock(id, mergeId);
        }).flatMap(both -> {
            Customer survivor = both.get(0);
            Customer merged = both.get(1);
            if (survivor == null) {
                return CustomerErasures.absent(repository, id);
            }
            if (merged == null) {
                return mergeIdMissing(input.mergeId());
            }
            return PersonalData.inTurn(holders, holder -> holder.merge(merged.getId(), survivor.getId()))
                    .flatMap(moved -> customers.fold(survivor, merged, rule, now)
                            .call(view -> dryRun ? Panache.currentTransaction().invoke(tx -> tx.markForRollback())
                                    : Uni.createFrom().voidItem())
                            .map(view -> new Result(view, merged.getId(), moved, dryRun)));
        }));
    }

    /** 410 for an erased customer, 422 for one that never existed. */
    private static <T> Uni<T> mergeIdMissing(UUID id) {
        return CustomerErasures.erasedAt(id).map(at -> {
            if (at != null) {
                throw CustomerErasures.erased(id, at);
            }
            throw ProblemException.validation(List.of(new FieldError("mergeId", "no customer has this id")));
        });
    }
}
