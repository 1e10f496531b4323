package io.headlesscrm.dataio;

import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerBatch;

/** What an import reads and how: the file's format, which column goes where, how rows find their customer. */
@Schema(name = "ImportInput", description = "An import job, created before its file is uploaded")
public record ImportDefinition(
        @NotNull @Schema(required = true) FileFormat format,
        @NotNull @Schema(required = true, description = "What finds an existing customer: EXTERNAL_ID, or EMAIL "
                + "(case-insensitive; a row whose email several customers share fails)") CustomerBatch.MatchKey matchKey,
        @NotNull @Schema(required = true, description = "CREATE only new customers, UPDATE only existing ones, or UPSERT")
        CustomerBatch.Mode mode,
        @NotEmpty @Size(max = 200) @Schema(required = true, description = "Column (CSV header, or NDJSON key) → target: "
                + "externalId, type, name, email, phone, registeredAt, lastActiveAt, attributes.<name>, tags "
                + "(keys separated by ';', or a JSON array), consent.<CHANNEL> (OPTED_IN or OPTED_OUT). Columns not "
                + "named are ignored; an empty cell leaves the field as it is.",
                examples = "{\"Customer ID\": \"externalId\", \"Full name\": \"name\", \"E-mail\": \"email\", "
                        + "\"City\": \"attributes.city\", \"Labels\": \"tags\", \"SMS\": \"consent.SMS\"}")
        Map<String, String> columns,
        @Schema(description = "Send customer and tag webhook events for the changes (default true)") Boolean webhooks) {

    boolean sendsWebhooks() {
        return webhooks == null || webhooks;
    }
}
