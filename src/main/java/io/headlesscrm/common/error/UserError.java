package io.headlesscrm.common.error;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;

import io.smallrye.mutiny.Uni;

/** A GraphQL mutation's domain error, the counterpart of a REST problem: same {@code code} as the problem type. */
@Description("Why a mutation was refused. code is the stable slug of the matching REST problem type.")
public record UserError(
        @Description("Path to the offending input field, for example [\"input\", \"email\"]") List<String> field,
        @NonNull String message,
        @NonNull String code) {

    public static List<UserError> of(ProblemException p) {
        if (p.errors().isEmpty()) {
            return List.of(new UserError(null, p.getMessage(), p.slug()));
        }
        return p.errors().stream()
                .map(e -> new UserError(e.field() == null ? null : path(e.field()), e.message(), p.slug()))
                .toList();
    }

    /**
     * For {@code onFailure().recoverWithUni(...)}: a client error becomes a payload carrying userErrors, a
     * server error stays a failure (reported as a GraphQL error without its details).
     */
    public static <T> Function<Throwable, Uni<? extends T>> recover(Function<List<UserError>, T> payload) {
        return failure -> {
            ProblemException p = Problems.from(failure);
            return p.status() >= 500 ? Uni.createFrom().failure(failure)
                    : Uni.createFrom().item(payload.apply(of(p)));
        };
    }

    private static List<String> path(String field) {
        return Stream.concat(Stream.of("input"), Arrays.stream(field.split("\\."))).toList();
    }
}
