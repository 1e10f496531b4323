package io.headlesscrm.customer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.AfterCommit;
import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.idempotency.IdempotencyStore;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.Permissions;
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Customer rules shared by REST and GraphQL: validation, uniqueness, idempotency, optimistic locking, the audit
 * trail of every change, and masking contact details for readers who may not see them.
 */
@ApplicationScoped
public class CustomerService {

    static final String ENTITY = "customer";
    static final String EXTERNAL_ID_CONSTRAINT = "customer_external_id_key";
    static final String IDEMPOTENCY_SCOPE = "customers.create";
    private static final int UPSERT_ATTEMPTS = 5;

    @Inject
    CustomerRepository repository;
    @Inject
    PropertyCatalog properties;
    @Inject
    IdempotencyStore idempotency;
    @Inject
    Outbox outbox;
    @Inject
    InputValidator validator;
    @Inject
    ObjectMapper mapper;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;
    @Inject
    Instance<CustomerDeletionListener> deletionListeners;
    @Inject
    Suppressions suppressions;

    public record Written(CustomerView customer, boolean created, boolean replayed) {
    }

    public Uni<CustomerView> get(UUID id) {
        return repository.findViewOrSurvivor(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Customer", id))
                .map(this::asReaderMaySee);
    }

    /** The customer with the partner's own key; 404 if there is none. */
    @WithSession
    public Uni<CustomerView> getByExternalId(String externalId) {
        return repository.findByExternalId(externalId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Customer", externalId))
                .map(CustomerView::of).map(this::asReaderMaySee);
    }

    @WithSession
    public Uni<Page.Slice<CustomerView>> list(CustomerFilter filter, CustomerSort sort, Cursor after, int limit) {
        return repository.page(filter, sort, after, limit)
                .map(rows -> Page.slice(rows.stream().map(CustomerView::of).map(this::asReaderMaySee).toList(), limit,
                        sort::cursorOf));
    }

    /** Customers matching a compiled segment predicate over {@code customer c}: how many, and the first few by id. */
    public record Matching(long count, List<CustomerView> first) {
    }

    public Uni<Matching> matching(String predicate, int limit) {
        return repository.matching(predicate, limit).map(m -> new Matching(m.getKey(),
                m.getValue().stream().map(this::asReaderMaySee).toList()));
    }

    /** The filter's count, exact up to {@code limit}; past it {@code limit + 1} (see {@link CustomerRepository#countUpTo}). */
    @WithSession
    public Uni<Long> countUpTo(CustomerFilter filter, int limit) {
        return repository.countUpTo(filter, limit);
    }

    /**
     * Creates a customer. With an idempotency key, a repeat of the same request returns the customer the first
     * one created ({@code replayed}); the same key with a different body is a 422.
     */
    public Uni<Written> create(CustomerInput input, String idempotencyKey) {
        return Panache.withTransaction(() -> {
            validator.validate(input);
            if (idempotencyKey == null) {
                return insertUnique(input);
            }
            return idempotency.claim(IDEMPOTENCY_SCOPE, idempotencyKey, input).flatMap(prior -> prior.isPresent()
                    ? load(prior.get()).map(c -> new Written(CustomerView.of(c), true, true))
                    : insertUnique(input).call(w -> idempotency.complete(IDEMPOTENCY_SCOPE, idempotencyKey,
                            w.customer().id())));
        });
    }

    /**
     * Applies an RFC 7396 merge patch. {@code expectedVersion} (from If-Match) must equal the stored version,
     * else 412; null skips the check.
     */
    public Uni<CustomerView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        return Panache.withTransaction(() -> {
            if (patch == null || !patch.isObject()) {
                throw ProblemException.badRequest("invalid-field", null, "A patch must be a JSON object");
            }
            return load(id).flatMap(c -> {
                checkVersion(c, expectedVersion);
                CustomerInput merged = merge(c, patch);
                validator.validate(merged);
                return update(c, merged);
            }).onFailure(e -> Problems.isUniqueViolation(e, EXTERNAL_ID_CONSTRAINT))
                    .transform(e -> duplicateExternalId(patch.path("externalId").asText()));
        });
    }

    public Uni<Void> delete(UUID id, Long expectedVersion) {
        return Panache.withTransaction(() -> load(id).flatMap(c -> {
            checkVersion(c, expectedVersion);
            // by an alias, the survivor is deleted
            return repository.lockAgainstWork(c.getId()).flatMap(v -> remove(c))
                    .call(() -> audit.deleted(ENTITY, c.getId(), snapshot(c)))
                    .call(() -> outbox.enqueue(List.of(new Outbox.Event(EventTypes.CUSTOMER_DELETED, c.getId(), deleted(c)))))
                    .replaceWithVoid();
        }));
    }

    /**
     * Deletes a loaded customer's row in the caller's transaction (which has taken
     * {@link CustomerRepository#lockAgainstWork}); what is kept per customer outside PostgreSQL goes once it commits.
     */
    public Uni<Void> remove(Customer c) {
        Uni<Void> deleted = repository.delete(c).call(repository::flush);
        for (CustomerDeletionListener listener : deletionListeners) {
            deleted = deleted.call(() -> AfterCommit.call(() -> listener.customerDeleted(c.getId())));
        }
        return deleted;
    }

    /**
     * Creates or fully replaces the customer with this external id: the last write wins. Concurrent calls race
     * on the unique index (for a new id) or on the version (for an existing one); a loser retries, then finds
     * the winner's row and replaces it.
     */
    public Uni<Written> upsertByExternalId(String externalId, CustomerInput input) {
        if (input.externalId() != null && !input.externalId().equals(externalId)) {
            throw ProblemException.validation(List.of(new FieldError("externalId",
                    "must be absent or equal to the external id in the path")));
        }
        CustomerInput in = input.withExternalId(externalId);
        validator.validate(in);
        return Panache.withTransaction(() -> repository.findByExternalId(externalId).flatMap(existing -> {
            if (existing == null) {
                return insert(in);
            }
            // through an alias (a merged-away customer's external id) the survivor keeps its own
            CustomerInput own = externalId.equals(existing.getExternalId()) ? in
                    : in.withExternalId(existing.getExternalId());
            return update(existing, own).map(view -> new Written(view, false, false));
        })).onFailure(e -> Problems.isUniqueViolation(e, EXTERNAL_ID_CONSTRAINT) || Problems.isConcurrentWrite(e))
                .retry().atMost(UPSERT_ATTEMPTS);
    }

    /** What customer.deleted says: who is gone (nothing else of theirs is kept). */
    private static Map<String, Object> deleted(Customer c) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", c.getId());
        data.put("externalId", c.getExternalId());
        return data;
    }

    /** Applies {@code in} to a loaded customer: audited, and sent as customer.updated when anything changed. */
    private Uni<CustomerView> update(Customer c, CustomerInput in) {
        return checkDeclared(in).call(() -> suppressions.check(Suppressions.introduced(c, in)))
                .flatMap(v -> applyUpdate(c, in));
    }

    /** Declared attributes must have their declared type; undeclared ones are stored as given. */
    private Uni<Void> checkDeclared(CustomerInput in) {
        if (in.attributes() == null || in.attributes().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return properties.customerAttributes().map(declared -> {
            List<FieldError> errors = declared.check("attributes", null, in.attributes());
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            return null;
        });
    }

    private Uni<CustomerView> applyUpdate(Customer c, CustomerInput in) {
        Map<String, Object> before = snapshot(c);
        apply(c, in);
        Map<String, Object> after = snapshot(c);
        Uni<Integer> event = before.equals(after) ? Uni.createFrom().item(0)
                : outbox.enqueue(List.of(new Outbox.Event(EventTypes.CUSTOMER_UPDATED, c.getId(), CustomerView.of(c))));
        return repository.flush().call(() -> audit.updated(ENTITY, c.getId(), before, after)).call(() -> event)
                .replaceWith(() -> CustomerView.of(c));
    }

    /** Readers without the contact-details permission (analysts) get email and phone masked. */
    private CustomerView asReaderMaySee(CustomerView view) {
        return Permissions.granted(identity, Permissions.CUSTOMERS_READ_CONTACT) ? view : view.withContactMasked();
    }

    /** The fields an audit row compares; id, version and timestamps are bookkeeping. */
    Map<String, Object> snapshot(Customer c) {
        return audit.snapshot(CustomerView.of(c), "id", "version", "createdAt", "updatedAt");
    }

    private Uni<Customer> load(UUID id) {
        return repository.findOrSurvivor(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Customer", id));
    }

    private Uni<Written> insertUnique(CustomerInput input) {
        Uni<Customer> existing = input.externalId() == null ? Uni.createFrom().nullItem()
                : repository.findByExternalId(input.externalId());
        return existing.flatMap(found -> {
            if (found != null) {
                throw duplicateExternalId(input.externalId());
            }
            return insert(input);
        }).onFailure(e -> Problems.isUniqueViolation(e, EXTERNAL_ID_CONSTRAINT))
                .transform(e -> duplicateExternalId(input.externalId()));
    }

    private Uni<Written> insert(CustomerInput input) {
        return checkDeclared(input).call(() -> suppressions.check(Suppressions.introduced(null, input)))
                .flatMap(v -> insertChecked(input));
    }

    private Uni<Written> insertChecked(CustomerInput input) {
        Customer c = new Customer();
        Instant now = now();
        c.setCreatedAt(now);
        apply(c, input);
        return repository.persistAndFlush(c).call(saved -> audit.created(ENTITY, saved.getId(), snapshot(saved)))
                .call(saved -> outbox.enqueue(List.of(new Outbox.Event(EventTypes.CUSTOMER_CREATED, saved.getId(), CustomerView.of(saved)))))
                .map(saved -> new Written(CustomerView.of(saved), true, false));
    }

    static void apply(Customer c, CustomerInput in) {
        c.setExternalId(in.externalId());
        c.setType(in.type());
        c.setName(in.name().trim());
        c.setEmail(in.email());
        c.setPhone(in.phone());
        c.setRegisteredAt(in.registeredAt());
        c.setLastActiveAt(in.lastActiveAt());
        c.setAttributes(new HashMap<>(in.attributes()));
        c.setUpdatedAt(now());
    }

    private CustomerInput merge(Customer c, JsonNode patch) {
        try {
            return mapper.treeToValue(JsonMergePatch.apply(mapper.valueToTree(current(c)), patch), CustomerInput.class);
        } catch (JsonProcessingException e) {
            throw Problems.from(e);
        }
    }

    /** The customer as the input that would write it as it is. */
    static CustomerInput current(Customer c) {
        return new CustomerInput(c.getExternalId(), c.getType(), c.getName(), c.getEmail(), c.getPhone(),
                c.getRegisteredAt(), c.getLastActiveAt(), c.getAttributes());
    }

    private static void checkVersion(Customer c, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != c.getVersion()) {
            throw ProblemException.preconditionFailed("Customer " + c.getId() + " is at version " + c.getVersion()
                    + ", not " + expectedVersion + "; read it again and reapply your change");
        }
    }

    private static ProblemException duplicateExternalId(String externalId) {
        return ProblemException.conflict("duplicate-external-id", "externalId",
                "A customer with externalId '" + externalId + "' already exists");
    }

    /** PostgreSQL keeps microseconds; truncating here keeps keyset cursors exact. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
