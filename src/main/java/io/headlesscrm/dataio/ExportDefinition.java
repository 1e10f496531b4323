package io.headlesscrm.dataio;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerFilter;

/** Which customers an export writes, which of their fields, and in what format. */
@Schema(name = "ExportInput", description = "A customer export, written in the background")
public record ExportDefinition(
        @NotNull @Schema(required = true) FileFormat format,
        @Schema(description = "Which customers, as in the customer list (segment: an audience's or dimension's key, "
                + "bucket: one of its buckets); absent or {} is every customer") CustomerFilter filter,
        @Size(max = 100) @Schema(description = "Columns, in order: id, externalId, type, name, email, phone, "
                + "registeredAt, lastActiveAt, createdAt, updatedAt, attributes (all, as JSON) or attributes.<name>. "
                + "Default: every field but attributes. The names are an import's targets, so a CSV export imports back.",
                examples = "[\"externalId\", \"name\", \"email\", \"attributes.city\"]") List<@NotNull String> fields,
        @Schema(description = "Add a tags column: the customer's live tag keys (CSV: separated by ';')") Boolean tags,
        @Size(max = 20) @Schema(description = "Dimension keys: a column bucket.<key> each, the customer's bucket",
                examples = "[\"lifecycle\"]") List<@NotNull String> buckets) {

    static final List<String> FIELDS = List.of("id", "externalId", "type", "name", "email", "phone", "registeredAt",
            "lastActiveAt", "createdAt", "updatedAt");

    List<String> fieldsOrDefault() {
        return fields == null || fields.isEmpty() ? FIELDS : fields;
    }
}
