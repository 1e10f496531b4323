package io.headlesscrm.touchpoint;

import java.util.Map;

import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a touchpoint says: a rendered body (and subject), or a partner-side template and its variables. */
@Schema(name = "TouchpointContent", description = "Either body (rendered, with an optional subject) or templateId "
        + "(with optional variables), not both")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TouchpointContent(
        @Size(min = 1, max = 65536) String body,
        @Size(min = 1, max = 500) String subject,
        @Size(min = 1, max = 128) String templateId,
        @Schema(description = "Template variables, a JSON object") Map<String, Object> variables) {
}
