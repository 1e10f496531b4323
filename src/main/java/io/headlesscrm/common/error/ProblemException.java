package io.headlesscrm.common.error;

import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.language.SourceLocation;

/**
 * A domain error that every API surface reports the same way: REST as {@code application/problem+json},
 * GraphQL as {@code userErrors}, or as the error of a field that failed with {@code extensions.code} the slug
 * (graphql-java copies a {@link GraphQLError}'s extensions into the error it reports, over HTTP and WebSocket alike).
 * {@code slug} is the stable last segment of the problem type URI.
 */
public class ProblemException extends RuntimeException implements GraphQLError {

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
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), instance, errors, null);
    }

    @Override
    public Map<String, Object> getExtensions() {
        return Map.of("code", slug);
    }

    @Override
    public List<SourceLocation> getLocations() {
        return null; // the field's, which graphql-java adds
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorType.DataFetchingException;
    }
}
