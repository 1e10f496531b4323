package io.headlesscrm.touchpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.common.error.FieldError;

/** What a touchpoint says: a rendered body (and subject), or a partner-side template and its variables. */
@Schema(name = "TouchpointContent", description = "Either body (rendered, with an optional subject) or templateId "
        + "(with optional variables), not both")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ContentRule
public record TouchpointContent(
        @Size(min = 1, max = 65536) String body,
        @Size(min = 1, max = 500) String subject,
        @Size(min = 1, max = 128) String templateId,
        @Schema(description = "Template variables, a JSON object") Map<String, Object> variables) {

    /**
     * The content rule, checked wherever content enters ({@link ContentRule}): a body or a templateId (not both),
     * variables only with a template. Each problem names the member it is about (null: the content as a whole).
     */
    List<FieldError> problems() {
        List<FieldError> problems = new ArrayList<>();
        boolean template = templateId != null;
        if ((body != null) == template) {
            problems.add(new FieldError(null, "needs either body or templateId, not both"));
        }
        if (variables != null && !template) {
            problems.add(new FieldError("variables", "go with a templateId"));
        }
        return problems;
    }
}
