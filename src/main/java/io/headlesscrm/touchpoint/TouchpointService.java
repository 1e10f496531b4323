package io.headlesscrm.touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.LockMode;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.idempotency.IdempotencyStore;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Touchpoints: creation (consent checked per channel, idempotent per key, all of a batch or none) and the status
 * reports partners send back. Every touchpoint queued and every status change writes its webhook messages to the
 * outbox in the same transaction.
 */
@ApplicationScoped
public class TouchpointService {

    static final Keyset KEYSET = Keyset.byId("id", "id", true);
    private static final String IDEMPOTENCY_SCOPE = "touchpoints.create";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    TouchpointRepository repository;
    @Inject
    InputValidator validator;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    Outbox outbox;
    @Inject
    ObjectMapper mapper;
    @Inject
    TouchpointWriter writer;
    @Inject
    CustomerRepository customers;

    /** Creates a batch: every item valid and for a known customer, or a 422 naming each bad item and nothing written. */
    public Uni<TouchpointBatch.Result> create(TouchpointBatch.Input batch) {
        if (batch == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        // the content rule is a constraint: its errors and the batch's own are reported together, item by item
        List<FieldError> errors = new ArrayList<>(validator.violations(batch));
        Set<String> keys = new HashSet<>();
        for (int i = 0; batch.items() != null && i < batch.items().size(); i++) {
            TouchpointInput item = batch.items().get(i);
            if (item == null) {
                continue;
            }
            itemErrors(item, "items[" + i + "].", errors);
            if (item.idempotencyKey() != null && !keys.add(item.idempotencyKey())) {
                errors.add(new FieldError("items[" + i + "].idempotencyKey", "repeats an earlier item's key"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors.stream().sorted(Comparator.comparing(FieldError::field)).toList());
        }
        return write(batch.items(), "items[%d].");
    }

    /** Creates one touchpoint; {@code replayed} when its idempotency key returned an earlier one. */
    public Uni<TouchpointBatch.Result> createOne(TouchpointInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        itemErrors(input, "", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return write(List.of(input), "");
    }

    public Uni<TouchpointView> get(UUID id) {
        return Panache.withSession(() -> load(id, LockMode.NONE)
                .flatMap(t -> repository.history(t).map(h -> TouchpointView.of(t, h))));
    }

    public Uni<Page.Slice<TouchpointView>> list(TouchpointFilter filter, Cursor after, int limit) {
        return Panache.withSession(() -> repository.page(filter, after, limit)).map(rows -> Page.slice(
                rows.stream().map(t -> TouchpointView.of(t, null)).toList(), limit,
                t -> KEYSET.cursor(t.id(), t.id())));
    }

    /**
     * Applies a partner's status report under a lock on the touchpoint, so concurrent reports apply in turn. A
     * duplicate changes nothing; a late one is kept in the history only; an illegal one is a 409.
     */
    public Uni<StatusReportResult> report(UUID id, StatusReport report) {
        if (report == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(report);
        Instant now = now();
        checkReport(report, now);
        Instant occurredAt = report.occurredAt() == null ? now : report.occurredAt().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> load(id, LockMode.PESSIMISTIC_WRITE).flatMap(t -> repository.history(t)
                .flatMap(history -> {
                    TouchpointStatus before = t.getStatus();
                    TouchpointStatus.Outcome outcome = before.report(report.status(),
                            history.stream().map(TouchpointStatusChange::getStatus).toList());
                    if (outcome == TouchpointStatus.Outcome.ILLEGAL) {
                        throw ProblemException.conflict("illegal-transition", "status", "A touchpoint that is "
                                + before + " cannot become " + report.status());
                    }
                    if (outcome == TouchpointStatus.Outcome.DUPLICATE) {
                        return Uni.createFrom().item(new StatusReportResult(outcome, TouchpointView.of(t, history)));
                    }
                    TouchpointStatusChange change = new TouchpointStatusChange(id, report.status(), report.reason(),
                            occurredAt, now);
                    List<TouchpointStatusChange> after = new ArrayList<>(history);
                    after.add(change);
                    Uni<?> written = Panache.getSession().flatMap(s -> s.persist(change));
                    if (outcome == TouchpointStatus.Outcome.APPLIED) {
                        t.moveTo(report.status(), report.status() == TouchpointStatus.FAILED ? report.reason() : null, now);
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("touchpoint", TouchpointView.of(t, null));
                        data.put("previousStatus", before);
                        Outbox.Event event = new Outbox.Event(EventTypes.TOUCHPOINT_STATUS_CHANGED, t.getCustomerId(), data);
                        written = written.call(() -> outbox.enqueue(List.of(event)));
                    }
                    return written.call(() -> Panache.getSession().flatMap(s -> s.flush()))
                            .map(v -> new StatusReportResult(outcome, TouchpointView.of(t, after)));
                })));
    }

    private static void checkReport(StatusReport report, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (!report.status().reportable()) {
            errors.add(new FieldError("status", "partners report SENT, DELIVERED, OPENED, CLICKED, CONVERTED or FAILED"));
        }
        if (report.status() == TouchpointStatus.FAILED && (report.reason() == null || report.reason().isBlank())) {
            errors.add(new FieldError("reason", "is required when the status is FAILED"));
        }
        if (report.occurredAt() != null && report.occurredAt().isAfter(now.plus(CLOCK_SKEW))) {
            errors.add(new FieldError("occurredAt", "is in the future"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    private static void itemErrors(TouchpointInput item, String prefix, List<FieldError> errors) {
        if (item.source() == TouchpointSource.CAMPAIGN) {
            errors.add(new FieldError(prefix + "source", "CAMPAIGN is set by campaign runs only"));
        }
    }

    /** One transaction: idempotency keys claimed, customers and their opt-outs read, touchpoints and outbox written. */
    private Uni<TouchpointBatch.Result> write(List<TouchpointInput> given, String itemPath) {
        return Panache.withTransaction(() -> claimKeys(given).flatMap(prior -> throughAliases(given).flatMap(items -> writer
                .recipients(items.stream().map(TouchpointInput::customerId).collect(Collectors.toSet())).flatMap(recipients -> {
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (prior.get(i) == null && !recipients.containsKey(items.get(i).customerId())) {
                    errors.add(new FieldError(itemPath.formatted(i) + "customerId", "no customer has this id"));
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            return writer.optOuts(items.stream().map(TouchpointInput::customerId).collect(Collectors.toSet()))
                    .flatMap(optOuts -> insert(items, prior, recipients, optOuts));
        }))));
    }

    /** Items that name a merged-away customer (an alias) name the survivor instead. */
    private Uni<List<TouchpointInput>> throughAliases(List<TouchpointInput> items) {
        return customers.survivorsOf(items.stream().map(TouchpointInput::customerId).collect(Collectors.toSet()))
                .map(survivors -> survivors.isEmpty() ? items : items.stream().map(in -> survivors
                        .containsKey(in.customerId()) ? in.withCustomerId(survivors.get(in.customerId())) : in).toList());
    }

    private Uni<TouchpointBatch.Result> insert(List<TouchpointInput> items, List<UUID> prior,
            Map<UUID, TouchpointWriter.Recipient> recipients, Set<String> optOuts) {
        Instant now = now();
        List<Touchpoint> fresh = new ArrayList<>();
        Touchpoint[] byItem = new Touchpoint[items.size()];
        int suppressed = 0;
        for (int i = 0; i < items.size(); i++) {
            if (prior.get(i) != null) {
                continue;
            }
            TouchpointInput in = items.get(i);
            String reason = TouchpointWriter.suppression(in.customerId(), in.channel(), recipients.get(in.customerId()), optOuts);
            suppressed += reason == null ? 0 : 1;
            byItem[i] = new Touchpoint(in, mapper.convertValue(in.content(), MAP),
                    reason == null ? TouchpointStatus.QUEUED : TouchpointStatus.SUPPRESSED, reason, now);
            fresh.add(byItem[i]);
        }
        int suppressedCount = suppressed;
        return writer.written(fresh, now).call(() -> completeKeys(items, byItem))
                .flatMap(v -> views(items, prior, byItem)).map(views -> new TouchpointBatch.Result(views, fresh.size(),
                        suppressedCount, (int) prior.stream().filter(p -> p != null).count()));
    }

    /** The id an earlier request with the same idempotency key created, per item (null: none, or no key). */
    private Uni<List<UUID>> claimKeys(List<TouchpointInput> items) {
        Map<String, Object> requests = new HashMap<>();
        items.stream().filter(in -> in.idempotencyKey() != null)
                .forEach(in -> requests.put(in.idempotencyKey(), in.withIdempotencyKey(null)));
        Uni<Map<String, Optional<UUID>>> claimed = requests.isEmpty() ? Uni.createFrom().item(Map.of())
                : idempotency.claimAll(IDEMPOTENCY_SCOPE, requests);
        return claimed.map(prior -> items.stream().map(in -> in.idempotencyKey() == null ? null
                : prior.get(in.idempotencyKey()).orElse(null)).toList());
    }

    private Uni<Void> completeKeys(List<TouchpointInput> items, Touchpoint[] byItem) {
        Map<String, UUID> created = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (byItem[i] != null && items.get(i).idempotencyKey() != null) {
                created.put(items.get(i).idempotencyKey(), byItem[i].getId());
            }
        }
        return idempotency.completeAll(IDEMPOTENCY_SCOPE, created);
    }

    private Uni<List<TouchpointView>> views(List<TouchpointInput> items, List<UUID> prior, Touchpoint[] byItem) {
        List<UUID> replayed = prior.stream().filter(p -> p != null).toList();
        Uni<Map<UUID, Touchpoint>> earlier = replayed.isEmpty() ? Uni.createFrom().item(Map.of())
                : repository.list("id in ?1", replayed).map(list -> {
                    Map<UUID, Touchpoint> byId = new HashMap<>();
                    list.forEach(t -> byId.put(t.getId(), t));
                    return byId;
                });
        return earlier.map(byId -> {
            List<TouchpointView> views = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Touchpoint t = byItem[i] != null ? byItem[i] : byId.get(prior.get(i));
                views.add(TouchpointView.of(t, null));
            }
            return views;
        });
    }

    private Uni<Touchpoint> load(UUID id, LockMode lock) {
        Uni<Touchpoint> found = lock == LockMode.NONE ? repository.findById(id)
                : Panache.getSession().flatMap(s -> s.find(Touchpoint.class, id, lock));
        return found.onItem().ifNull().failWith(() -> ProblemException.notFound("Touchpoint", id));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
