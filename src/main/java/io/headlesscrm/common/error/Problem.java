package io.headlesscrm.common.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details body; {@code type} is stable per kind of error, clients may switch on it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details (media type application/problem+json)")
public record Problem(
        @Schema(required = true, examples = "https://headless-crm.dev/problems/validation-failed") String type,
        @Schema(required = true, examples = "Validation failed") String title,
        @Schema(required = true, examples = "422") int status,
        @Schema(examples = "1 field is invalid") String detail,
        @Schema(examples = "/api/v1/customers") String instance,
        List<FieldError> errors,
        @Schema(description = "For an internal error (500): the id it was logged under; quote it when reporting it",
                examples = "0d4f3c1e-5b7a-4e2f-9c8d-1a2b3c4d5e6f") String errorId) {

    Problem withErrorId(String id) {
        return new Problem(type, title, status, detail, instance, errors, id);
    }

    /**
     * Every error's media type. An operation that answers 204 on success also produces it: a client generated from
     * the document then asks for nothing else ({@code Accept: application/problem+json}).
     */
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://headless-crm.dev/problems/";
}
