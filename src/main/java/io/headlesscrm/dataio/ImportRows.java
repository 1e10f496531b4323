package io.headlesscrm.dataio;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.common.Text;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.customer.CustomerBatch;
import io.headlesscrm.property.PropertyType;
import io.headlesscrm.property.PropertyView;
import io.headlesscrm.touchpoint.Channel;
import io.headlesscrm.touchpoint.Consent;

/**
 * Reads one chunk of an import's file into rows: each record's mapped cells as customer fields, attributes, tag
 * keys and consents, or the reasons it cannot be. CSV cells are text; an attribute declared as a number or a
 * boolean is read as one, so a CSV row validates as the same JSON would.
 */
final class ImportRows {

    /** A record read: what it writes, or (when {@code errors} is not empty) why it is written nowhere. */
    record Parsed(CustomerBatch.Row row, Set<String> tags, Map<Channel, Consent.Status> consents,
            List<FieldError> errors) {
        long line() {
            return row.line();
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ImportJob job;
    private final ImportColumns columns;
    private final Map<String, PropertyType> declared = new HashMap<>();
    private final ObjectMapper mapper;

    ImportRows(ImportJob job, List<PropertyView> declarations, ObjectMapper mapper) {
        this.job = job;
        this.columns = ImportColumns.of(job.columns);
        this.mapper = mapper;
        declarations.forEach(p -> declared.put(p.name(), p.type()));
    }

    /**
     * The rows of a chunk, one for each record {@link RecordSplitter} finds (as it found them in the upload, which
     * counted them as the job's total): a record that cannot be read is a failed row, never skipped.
     */
    List<Parsed> parse(long firstLine, byte[] body) {
        List<Parsed> rows = new ArrayList<>();
        RecordSplitter splitter = new RecordSplitter(job.format == FileFormat.CSV, Integer.MAX_VALUE,
                firstLine, (line, bytes, defect) -> rows.add(job.format == FileFormat.NDJSON
                        ? ndjson(line, new String(bytes, StandardCharsets.UTF_8))
                        : defect != null ? new Row(line).fail(null, defect.reason) : csv(line, bytes)));
        splitter.feed(body);
        splitter.end();
        return rows;
    }

    private Parsed csv(long line, byte[] record) {
        Row row = new Row(line);
        List<String> cells;
        try {
            cells = CsvCells.split(record);
        } catch (CsvCells.Unreadable e) {
            return row.fail(null, e.getMessage());
        }
        if (cells.size() != job.header.length) {
            return row.fail(null, "has " + cells.size() + " cells where the header has " + job.header.length);
        }
        for (int i = 0; i < cells.size(); i++) {
            ImportColumns.Target target = columns.targets().get(job.header[i]);
            String cell = cells.get(i).strip();
            if (target != null && !cell.isEmpty()) {
                row.put(target, JSON.textNode(cell), true);
            }
        }
        return row.done();
    }

    private Parsed ndjson(long line, String text) {
        Row row = new Row(line);
        JsonNode object;
        try {
            object = mapper.readTree(text);
        } catch (Exception e) {
            return row.fail(null, "not valid JSON");
        }
        if (!object.isObject()) {
            return row.fail(null, "must be a JSON object");
        }
        columns.targets().forEach((column, target) -> {
            JsonNode value = object.get(column);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank())) {
                row.put(target, value, false);
            }
        });
        return row.done();
    }

    /** One record's cells being placed. */
    private final class Row {
        final long line;
        final ObjectNode fields = JSON.objectNode();
        final ObjectNode attributes = JSON.objectNode();
        final Set<String> tags = new LinkedHashSet<>();
        final Map<Channel, Consent.Status> consents = new HashMap<>();
        final List<FieldError> errors = new ArrayList<>();

        Row(long line) {
            this.line = line;
        }

        void put(ImportColumns.Target target, JsonNode value, boolean text) {
            if (Text.unstorable(value) != null) {
                errors.add(new FieldError(name(target), Text.RULE));
                return;
            }
            switch (target.kind()) {
                case FIELD -> fields.set(target.name(), value);
                case ATTRIBUTE -> attributes.set(target.name(), text ? typed(target.name(), value.asText()) : value);
                case TAGS -> tags(value);
                case CONSENT -> consent(Channel.valueOf(target.name()), value);
            }
        }

        private void tags(JsonNode value) {
            if (value.isArray()) {
                value.forEach(t -> tags.add(t.asText()));
            } else if (value.isTextual()) {
                for (String key : value.asText().split(";")) {
                    if (!key.isBlank()) {
                        tags.add(key.strip());
                    }
                }
            } else {
                errors.add(new FieldError("tags", "must be tag keys separated by ';', or an array of them"));
            }
        }

        private void consent(Channel channel, JsonNode value) {
            try {
                consents.put(channel, Consent.Status.valueOf(value.asText().strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("consent." + channel, "must be OPTED_IN or OPTED_OUT"));
            }
        }

        Parsed fail(String field, String reason) {
            errors.add(new FieldError(field, reason));
            return done();
        }

        Parsed done() {
            return new Parsed(new CustomerBatch.Row(line, fields, attributes), tags, consents, errors);
        }
    }

    /** A CSV cell for an attribute declared as a number or a boolean, as one when it reads as one. */
    private JsonNode typed(String attribute, String cell) {
        PropertyType type = declared.get(attribute);
        if (type == PropertyType.NUMBER) {
            try {
                // as JSON would read it (an int, a long, a double): a BigDecimal would not equal the value read back,
                // and Hibernate would write the customer again after inserting it
                return mapper.readTree(new BigDecimal(cell).toString());
            } catch (NumberFormatException | JsonProcessingException e) {
                return JSON.textNode(cell);
            }
        }
        if (type == PropertyType.BOOLEAN && (cell.equalsIgnoreCase("true") || cell.equalsIgnoreCase("false"))) {
            return JSON.booleanNode(Boolean.parseBoolean(cell));
        }
        return JSON.textNode(cell);
    }

    private static String name(ImportColumns.Target target) {
        return switch (target.kind()) {
            case FIELD -> target.name();
            case ATTRIBUTE -> "attributes." + target.name();
            case TAGS -> "tags";
            case CONSENT -> "consent." + target.name();
        };
    }
}
