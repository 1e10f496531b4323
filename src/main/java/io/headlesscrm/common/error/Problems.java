package io.headlesscrm.common.error;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;

import org.hibernate.StaleStateException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.Text;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;

/**
 * Translates any failure into the {@link ProblemException} the API reports: an unavailable database becomes a 503,
 * unknown failures a 500.
 */
public final class Problems {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** PostgreSQL's "invalid byte sequence": text holding NUL, which no text column can store. */
    private static final String INVALID_TEXT = "22021";
    /** A transaction PostgreSQL rolled back for another's sake (a deadlock, a serialization failure): retryable. */
    private static final List<String> ROLLED_BACK_FOR_ANOTHER = List.of("40P01", "40001");

    private Problems() {
    }

    public static ProblemException from(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ProblemException p) {
            return p;
        }
        if (t instanceof WebApplicationException && t.getCause() instanceof ProblemException p) {
            return p; // thrown by a parameter converter (Ids.parse), wrapped by JAX-RS
        }
        if (t instanceof StreamReadException e) {
            return ProblemException.badRequest("malformed-json", null,
                    "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (t instanceof JsonMappingException e) {
            return fromMapping(e);
        }
        if (t instanceof JsonProcessingException e) {
            return ProblemException.badRequest("malformed-json", null, e.getOriginalMessage());
        }
        if (t instanceof ConstraintViolationException e) {
            return ProblemException.validation(e.getConstraintViolations().stream().map(Problems::fieldError).toList());
        }
        if (t instanceof WebApplicationException e) {
            return fromHttp(e);
        }
        if (t instanceof ForbiddenException f) {
            return new ProblemException(403, "forbidden", "Forbidden",
                    f.getMessage() != null ? f.getMessage() : "Your roles do not allow this operation", List.of());
        }
        if (t instanceof UnauthorizedException || t instanceof AuthenticationFailedException) {
            return new ProblemException(401, "unauthorized", "Unauthorized", "Authentication is required", List.of());
        }
        if (isViolation(t, INVALID_TEXT, null)) {
            return ProblemException.badRequest("invalid-text", null,
                    "Text must be valid UTF-8 without NUL characters (\\u0000)");
        }
        if (isConcurrentWrite(t) || ROLLED_BACK_FOR_ANOTHER.stream().anyMatch(state -> isViolation(t, state, null))) {
            return ProblemException.conflict("concurrent-modification", null,
                    "The resource was changed by another request at the same time; read it again and retry");
        }
        if (DatabaseUnavailable.causedBy(t)) {
            return new ServiceUnavailable(t);
        }
        return new ProblemException(500, "internal-error", "Internal error",
                "The server failed to handle the request; it has been logged", List.of());
    }

    /** True when the failure is a unique-constraint violation of the named constraint (or any, if null). */
    public static boolean isUniqueViolation(Throwable failure, String constraint) {
        return isViolation(failure, UNIQUE_VIOLATION, constraint);
    }

    /** True when the failure is a foreign-key violation of the named constraint. */
    public static boolean isForeignKeyViolation(Throwable failure, String constraint) {
        return isViolation(failure, FOREIGN_KEY_VIOLATION, constraint);
    }

    private static boolean isViolation(Throwable failure, String sqlState, String constraint) {
        for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
            if (t instanceof PgException pg && sqlState.equals(pg.getSqlState())) {
                return constraint == null || constraint.equals(pg.getConstraint());
            }
            if (t instanceof org.hibernate.JDBCException jdbc && sqlState.equals(jdbc.getSQLState())) {
                return constraint == null || t instanceof org.hibernate.exception.ConstraintViolationException c
                        && (constraint.equals(c.getConstraintName())
                                || String.valueOf(c.getMessage()).contains('"' + constraint + '"'));
            }
        }
        return false;
    }

    /** True when a concurrent transaction changed or created the same row first (optimistic locking). */
    public static boolean isConcurrentWrite(Throwable failure) {
        for (Throwable t = unwrap(failure); t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompositeException c && !c.getCauses().isEmpty()) {
            t = c.getCauses().get(0);
        }
        return t;
    }

    private static ProblemException fromMapping(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException u) {
            return ProblemException.badRequest("unknown-field", field, "Unknown field '" + u.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() == UUID.class) {
            return Ids.invalid(field.isEmpty() ? "id" : field);
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() == String.class) {
            return ProblemException.badRequest("invalid-text", field.isEmpty() ? null : field,
                    (field.isEmpty() ? "The body's " : "'" + field + "': ") + Text.RULE);
        }
        String message;
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            message = "must be one of " + Arrays.toString(f.getTargetType().getEnumConstants());
        } else if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            message = "must be a valid " + f.getTargetType().getSimpleName();
        } else {
            message = "has the wrong type or shape";
        }
        return ProblemException.badRequest("invalid-field", field.isEmpty() ? null : field,
                (field.isEmpty() ? "The body " : "'" + field + "' ") + message);
    }

    private static ProblemException fromHttp(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return from(json);
        }
        int status = e.getResponse().getStatus();
        String slug = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return new ProblemException(status, slug, title, e.getMessage() == null ? title : e.getMessage(), List.of());
    }

    /** The violation as an API field error, named by its JSON path ({@code email}, {@code attributes.tier}). */
    public static FieldError fieldError(ConstraintViolation<?> v) {
        return new FieldError(fieldName(v.getPropertyPath()), v.getMessage());
    }

    /**
     * Drops the method and parameter nodes of a resource-method path ({@code create.input.email → email}) and
     * names map entries by their key ({@code attributes<K>[1x].<map key> → attributes.1x}) and list elements by
     * their index ({@code roles[0].<list element> → roles[0]}, {@code caps[0].max}).
     */
    private static String fieldName(Path path) {
        List<String> nodes = new ArrayList<>();
        for (Path.Node n : path) {
            switch (n.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> nodes.clear();
                case PARAMETER -> nodes.add(n.getName());
                case CONTAINER_ELEMENT -> {
                    if (n.getKey() != null) {
                        nodes.add(String.valueOf(n.getKey()));
                    } else if (n.getIndex() != null && !nodes.isEmpty()) {
                        nodes.set(nodes.size() - 1, nodes.get(nodes.size() - 1) + "[" + n.getIndex() + "]");
                    }
                }
                default -> {
                    // a field of a list element or map value: the element's index or key goes first (caps[0].max)
                    if (n.isInIterable() && n.getKey() != null) {
                        nodes.add(String.valueOf(n.getKey()));
                    } else if (n.isInIterable() && n.getIndex() != null && !nodes.isEmpty()) {
                        nodes.set(nodes.size() - 1, nodes.get(nodes.size() - 1) + "[" + n.getIndex() + "]");
                    }
                    if (n.getName() != null) { // a class-level constraint's bean node has none (content → content)
                        nodes.add(n.getName());
                    }
                }
            }
        }
        if (nodes.size() > 1 && path.iterator().next().getKind() == ElementKind.METHOD) {
            nodes.remove(0); // the body parameter's own name
        }
        return String.join(".", nodes);
    }
}
