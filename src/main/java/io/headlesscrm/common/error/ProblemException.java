package io.headlesscrm.common.error;

import java.util.List;

/**
 * A domain error that every API surface reports the same way: REST as {@code application/problem+json},
 * GraphQL as {@code userErrors}. {@code slug} is the stable last segment of the problem type URI.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException badRequest(String slug, String field, String detail) {
        return new ProblemException(400, slug, "Bad request", detail, List.of(new FieldError(field, detail)));
    }

    public static ProblemException validation(List<FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new ProblemException(422, "validation-failed", "Validation failed", detail, errors);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist", List.of());
    }

    public static ProblemException conflict(String slug, String field, String detail) {
        return new ProblemException(409, slug, "Conflict", detail,
                field == null ? List.of() : List.of(new FieldError(field, detail)));
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "version-mismatch", "Precondition failed", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), instance, errors);
    }
}
