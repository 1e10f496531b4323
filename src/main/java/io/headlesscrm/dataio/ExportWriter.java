package io.headlesscrm.dataio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.headlesscrm.customer.CustomerView;

/**
 * Writes customers as an export's file says: its columns in order, named as an import's targets (so a CSV export
 * imports back), then tags and the buckets asked for. CSV follows RFC 4180 (a cell with a comma, quote or line break
 * is quoted); NDJSON is one object a line, attributes.x nested under attributes.
 */
final class ExportWriter {

    /** One customer to write: the profile, its tag keys (when asked) and its bucket per dimension. */
    record Item(CustomerView customer, List<String> tags, Map<String, String> buckets) {
    }

    private final ExportJob job;
    private final ObjectMapper mapper;

    ExportWriter(ExportJob job, ObjectMapper mapper) {
        this.job = job;
        this.mapper = mapper;
    }

    /** The CSV header line; none for NDJSON. */
    byte[] header() {
        if (job.format != FileFormat.CSV) {
            return new byte[0];
        }
        List<String> names = new ArrayList<>(List.of(job.fields));
        if (job.tags) {
            names.add("tags");
        }
        for (String dimension : job.buckets) {
            names.add("bucket." + dimension);
        }
        return (String.join(",", names.stream().map(CsvCells::quote).toList()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] write(List<Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 200);
        StringBuilder line = new StringBuilder(256);
        for (Item item : items) {
            line.setLength(0);
            if (job.format == FileFormat.CSV) {
                csv(item, line);
            } else {
                ndjson(item, line);
            }
            out.writeBytes(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private void csv(Item item, StringBuilder line) {
        for (int i = 0; i < job.fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(CsvCells.quote(text(value(item.customer(), job.fields[i]))));
        }
        if (job.tags) {
            line.append(job.fields.length > 0 ? "," : "").append(CsvCells.quote(String.join(";", item.tags())));
        }
        for (String dimension : job.buckets) {
            line.append(',').append(CsvCells.quote(item.buckets().get(dimension)));
        }
    }

    private void ndjson(Item item, StringBuilder line) {
        ObjectNode object = mapper.createObjectNode();
        for (String field : job.fields) {
            Object value = value(item.customer(), field);
            if (field.startsWith("attributes.")) {
                object.withObjectProperty("attributes").set(field.substring(11), mapper.valueToTree(value));
            } else {
                object.set(field, mapper.valueToTree(value));
            }
        }
        if (job.tags) {
            object.set("tags", mapper.valueToTree(item.tags()));
        }
        if (job.buckets.length > 0) {
            ObjectNode buckets = object.putObject("buckets");
            for (String dimension : job.buckets) {
                buckets.put(dimension, item.buckets().get(dimension));
            }
        }
        try {
            line.append(mapper.writeValueAsString(object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(CustomerView c, String field) {
        return switch (field) {
            case "id" -> c.id();
            case "externalId" -> c.externalId();
            case "type" -> c.type();
            case "name" -> c.name();
            case "email" -> c.email();
            case "phone" -> c.phone();
            case "registeredAt" -> c.registeredAt();
            case "lastActiveAt" -> c.lastActiveAt();
            case "createdAt" -> c.createdAt();
            case "updatedAt" -> c.updatedAt();
            case "attributes" -> c.attributes();
            default -> c.attributes().get(field.substring(11)); // attributes.<name>, checked when defined
        };
    }

    /** A value as a CSV cell's text: JSON for objects and arrays, as written for the rest, empty for none. */
    private String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map || value instanceof List) {
            try {
                return mapper.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return value.toString();
    }
}
