package io.headlesscrm.customer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.property.PropertyCatalog;
import io.headlesscrm.security.Actor;
import io.headlesscrm.security.audit.AuditLog;
import io.headlesscrm.security.audit.Change;
import io.headlesscrm.webhook.EventTypes;
import io.headlesscrm.webhook.Outbox;
import io.smallrye.mutiny.Uni;

/**
 * Writes many customers in the caller's transaction, as a background import does: each row validated exactly as
 * {@link CustomerService} validates a create or a patch, created or updated by a match key, every change audited and
 * (unless asked not to) sent as customer.created / customer.updated, in a few statements for the whole batch. A row
 * that fails is reported and written nowhere; the others go on. Rows are applied in order, so a later row of the
 * batch with the same key updates what an earlier one wrote.
 */
@ApplicationScoped
public class CustomerBatch {

    /** What identifies an existing customer: the partner's id, or the email (case-insensitive, when unique). */
    public enum MatchKey {
        EXTERNAL_ID("externalId"), EMAIL("email");

        public final String field;

        MatchKey(String field) {
            this.field = field;
        }
    }

    /** Create only new customers, update only existing ones, or both. */
    public enum Mode {
        CREATE, UPDATE, UPSERT
    }

    /**
     * One row: the customer fields it gives (as JSON: text from a CSV, any JSON from NDJSON) and the attributes it
     * sets. On an update, what a row leaves out stays as it is and its attributes are merged key by key.
     */
    public record Row(long line, ObjectNode fields, ObjectNode attributes) {
    }

    public enum Result {
        CREATED, UPDATED, UNCHANGED, FAILED
    }

    /** What became of a row: the customer it wrote (null when it failed) and why it failed. */
    public record Outcome(long line, UUID customerId, Result result, List<FieldError> errors) {
        static Outcome failed(long line, List<FieldError> errors) {
            return new Outcome(line, null, Result.FAILED, errors);
        }
    }

    @Inject
    CustomerRepository repository;
    @Inject
    CustomerBatchSql sql;
    @Inject
    CustomerService service;
    @Inject
    InputValidator validator;
    @Inject
    ObjectMapper mapper;
    @Inject
    AuditLog audit;
    @Inject
    Outbox outbox;
    @Inject
    Suppressions suppressions;

    /** Writes {@code rows}, their attributes checked against {@code declared} (which the caller read to parse them). */
    public Uni<List<Outcome>> write(List<Row> rows, PropertyCatalog.Declarations declared, MatchKey key, Mode mode,
            boolean events, Actor actor, String requestId) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> externalIds = new LinkedHashSet<>();
        Set<Suppressions.Value> contacts = new LinkedHashSet<>();
        for (Row row : rows) {
            contacts.addAll(Suppressions.of(text(row.fields(), "externalId"), text(row.fields(), "email"),
                    text(row.fields(), "phone")));
            String value = keyOf(row.fields(), key);
            if (value != null) {
                keys.add(value);
            }
            if (row.fields().hasNonNull("externalId")) {
                externalIds.add(row.fields().get("externalId").asText());
            }
        }
        if (key == MatchKey.EXTERNAL_ID) {
            externalIds.addAll(keys);
        }
        return suppressions.suppressed(contacts).flatMap(suppressed -> sql.existing(key, keys, externalIds).flatMap(found -> {
            Batch batch = new Batch(key, mode, declared, found.customers(), suppressed);
            batch.aliases(found.aliases());
            // one row after another, so a later row of the batch sees what an earlier one wrote
            List<Outcome> outcomes = rows.stream().map(batch::apply).toList();
            return repository.flush().call(() -> sql.insert(batch.created))
                    .call(() -> audit.appendAll(actor, requestId, CustomerService.ENTITY, batch.audit))
                    .call(() -> events ? outbox.enqueue(batch.events) : Uni.createFrom().voidItem())
                    .replaceWith(outcomes);
        }));
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode value = fields.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String keyOf(ObjectNode fields, MatchKey key) {
        JsonNode value = fields.get(key.field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            return null;
        }
        return key == MatchKey.EMAIL ? value.asText().trim().toLowerCase(Locale.ROOT) : value.asText();
    }

    /** One batch being applied row by row, in memory, before its few statements. */
    private final class Batch {
        final MatchKey key;
        final Mode mode;
        final PropertyCatalog.Declarations declared;
        final Map<String, List<Customer>> byKey = new HashMap<>();
        final Map<String, Customer> byExternalId = new HashMap<>();
        final List<Customer> created = new ArrayList<>();
        final List<AuditLog.Row> audit = new ArrayList<>();
        final List<Outbox.Event> events = new ArrayList<>();
        final Set<Suppressions.Value> suppressed;
        final Map<String, Customer> aliased = new HashMap<>();

        Batch(MatchKey key, Mode mode, PropertyCatalog.Declarations declared, List<Customer> found,
                Set<Suppressions.Value> suppressed) {
            this.key = key;
            this.mode = mode;
            this.declared = declared;
            this.suppressed = suppressed;
            found.forEach(this::index);
        }

        /** Aliased external ids name their survivors, as keys and as external ids. */
        void aliases(Map<String, Customer> survivors) {
            survivors.forEach((externalId, c) -> {
                aliased.put(externalId, c);
                byExternalId.put(externalId, c);
                if (key == MatchKey.EXTERNAL_ID) {
                    byKey.computeIfAbsent(externalId, x -> new ArrayList<>()).add(c);
                }
            });
        }

        private void index(Customer c) {
            if (c.getExternalId() != null) {
                byExternalId.put(c.getExternalId(), c);
            }
            String k = key == MatchKey.EMAIL ? (c.getEmail() == null ? null : c.getEmail().toLowerCase(Locale.ROOT))
                    : c.getExternalId();
            if (k != null) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
            }
        }

        Outcome apply(Row row) {
            String k = keyOf(row.fields(), key);
            if (k == null) {
                return failed(row, new FieldError(key.field, "must not be blank: it is the match key"));
            }
            List<Customer> matches = byKey.getOrDefault(k, List.of());
            if (matches.size() > 1) {
                return failed(row, new FieldError(key.field, "matches " + matches.size()
                        + " customers; match by externalId instead"));
            }
            Customer match = matches.isEmpty() ? null : matches.get(0);
            if (match != null && mode == Mode.CREATE) {
                return failed(row, new FieldError(key.field, "a customer with this " + key.field
                        + " already exists (mode CREATE)"));
            }
            if (match == null && mode == Mode.UPDATE) {
                return failed(row, new FieldError(key.field, "no customer has this " + key.field
                        + " (mode UPDATE)"));
            }
            String named = text(row.fields(), "externalId");
            if (named != null && aliased.get(named) == match && match != null) {
                // through an alias the survivor keeps its own external id
                row.fields().put("externalId", match.getExternalId());
            }
            CustomerInput input;
            try {
                input = input(match, row);
            } catch (ProblemException e) {
                return Outcome.failed(row.line(), e.errors().isEmpty()
                        ? List.of(new FieldError(null, e.getMessage())) : e.errors());
            }
            List<FieldError> refused = Suppressions.introduced(match, input).stream().filter(suppressed::contains)
                    .map(Suppressions::error).toList();
            if (!refused.isEmpty()) {
                return Outcome.failed(row.line(), refused);
            }
            Customer owner = input.externalId() == null ? null : byExternalId.get(input.externalId());
            if (owner != null && owner != match) {
                return failed(row, new FieldError("externalId", "another customer has this externalId"));
            }
            return match == null ? create(row, input) : update(row, match, input);
        }

        private static Outcome failed(Row row, FieldError why) {
            return Outcome.failed(row.line(), List.of(why));
        }

        private CustomerInput input(Customer match, Row row) {
            ObjectNode tree = match == null ? mapper.createObjectNode() : mapper.valueToTree(CustomerService.current(match));
            tree.setAll(row.fields());
            if (!row.attributes().isEmpty()) {
                tree.withObjectProperty("attributes").setAll(row.attributes());
            }
            CustomerInput input;
            try {
                input = mapper.treeToValue(tree, CustomerInput.class);
            } catch (Exception e) {
                throw Problems.from(e);
            }
            validator.validate(input);
            List<FieldError> wrong = declared.check("attributes", null, input.attributes());
            if (!wrong.isEmpty()) {
                throw ProblemException.validation(wrong);
            }
            return input;
        }

        private Outcome create(Row row, CustomerInput input) {
            Customer c = new Customer();
            c.assignNewId();
            c.setCreatedAt(CustomerService.now());
            CustomerService.apply(c, input);
            index(c);
            created.add(c);
            audit.add(new AuditLog.Row(c.getId().toString(), AuditLog.Action.CREATE,
                    Change.between(Map.of(), service.snapshot(c))));
            events.add(new Outbox.Event(EventTypes.CUSTOMER_CREATED, c.getId(), CustomerView.of(c)));
            return new Outcome(row.line(), c.getId(), Result.CREATED, List.of());
        }

        /** Changes the customer only when the row changes a field, so an unchanged row writes nothing. */
        private Outcome update(Row row, Customer c, CustomerInput input) {
            Customer probe = new Customer();
            CustomerService.apply(probe, input);
            Map<String, Change> changes = Change.between(service.snapshot(c), service.snapshot(probe));
            if (changes.isEmpty()) {
                return new Outcome(row.line(), c.getId(), Result.UNCHANGED, List.of());
            }
            CustomerService.apply(c, input);
            if (c.getExternalId() != null) {
                byExternalId.put(c.getExternalId(), c);
            }
            audit.add(new AuditLog.Row(c.getId().toString(), AuditLog.Action.UPDATE, changes));
            events.add(new Outbox.Event(EventTypes.CUSTOMER_UPDATED, c.getId(), CustomerView.of(c)));
            return new Outcome(row.line(), c.getId(), Result.UPDATED, List.of());
        }
    }
}
