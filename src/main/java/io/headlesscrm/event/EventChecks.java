package io.headlesscrm.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;

/**
 * Reads and checks one event item alone, so one bad item never costs the others: its shape (JSON mapping), its
 * fields (Bean Validation), its time (not too far ahead, not older than retention), its size and its text.
 */
@ApplicationScoped
public class EventChecks {

    @Inject
    ObjectMapper mapper;
    @Inject
    Validator validator;
    @Inject
    EventsConfig config;

    /** An item read and checked: the input and its JSON parts when {@code errors} is empty. */
    record Checked(EventInput input, String properties, String items, String context, List<FieldError> errors) {

        static Checked rejected(List<FieldError> errors) {
            return new Checked(null, null, null, null, errors);
        }
    }

    Checked check(Object item, Instant now) {
        JsonNode node = item instanceof JsonNode json ? json : mapper.valueToTree(item);
        if (node == null || !node.isObject()) {
            return Checked.rejected(List.of(new FieldError(null, "an event must be a JSON object")));
        }
        Deque<Object> badText = Text.unstorable(node);
        if (badText != null) {
            return Checked.rejected(List.of(new FieldError(Text.path(badText), Text.RULE)));
        }
        EventInput input;
        try {
            input = mapper.treeToValue(node, EventInput.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            ProblemException p = Problems.from(e);
            return Checked.rejected(p.errors().isEmpty() ? List.of(new FieldError(null, p.getMessage())) : p.errors());
        }
        List<FieldError> errors = new ArrayList<>(validator.validate(input).stream().map(Problems::fieldError)
                .map(f -> f.field() != null && f.field().equals("oneCustomerReference") ? new FieldError(null, f.message()) : f)
                .toList());
        if (input.occurredAt() != null) {
            if (input.occurredAt().isAfter(now.plus(config.maxFutureSkew()))) {
                errors.add(new FieldError("occurredAt", "must not lie more than " + config.maxFutureSkew()
                        + " in the future"));
            } else if (input.occurredAt().isBefore(now.minus(config.retention()))) {
                errors.add(new FieldError("occurredAt", "is older than the event retention of " + config.retention()));
            }
        }
        String properties = Jsons.text(mapper, input.properties() == null ? Map.of() : input.properties());
        String items = input.items() == null ? null : Jsons.text(mapper, input.items());
        String context = input.context() == null ? null : Jsons.text(mapper, input.context());
        int bytes = size(properties) + size(items) + size(context);
        if (bytes > config.maxEventBytes()) {
            errors.add(new FieldError("properties", "properties, items and context take " + bytes
                    + " bytes; at most " + config.maxEventBytes() + " are accepted"));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(f -> f.field() == null ? "" : f.field()));
            return Checked.rejected(errors);
        }
        return new Checked(input, properties, items, context, List.of());
    }

    private static int size(String json) {
        return json == null ? 0 : json.getBytes(StandardCharsets.UTF_8).length;
    }
}
