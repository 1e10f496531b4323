package io.headlesscrm.common.graphql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;


import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;
import io.headlesscrm.common.error.DatabaseUnavailable;
import io.headlesscrm.common.error.InternalFailure;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.smallrye.graphql.execution.datafetcher.DataFetcherException;
import io.smallrye.graphql.execution.error.ExceptionHandler;
import io.smallrye.graphql.execution.error.GraphQLExceptionWhileDataFetching;

/**
 * How a failed field is reported, on every transport (HTTP and WebSocket): a {@link ProblemException} with its
 * message and {@code extensions.code} (the REST problem's type, e.g. {@code invalid-text}); any other failure as
 * REST maps it ({@link Problems#from}), so a database refusal of bad input is the same 4xx code as over REST,
 * and what is left is an internal error logged once under the id its {@code extensions.errorId} carries (SmallRye
 * answered "System error" and logged nothing). Security and coercion errors, and an unavailable database
 * ({@link UnavailableErrors}), stay with SmallRye's handler. Installed by {@link GraphQLBuild}.
 */
final class FieldErrors implements DataFetcherExceptionHandler {

    private final ExceptionHandler smallrye = new ExceptionHandler();

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
        Throwable failure = unwrap(params.getException());
        ProblemException problem = failure instanceof ProblemException p ? p : null;
        if (problem == null && !handledBySmallRye(failure)) {
            problem = Problems.from(failure);
        }
        if (problem == null) {
            return smallrye.handleException(params);
        }
        if (problem.status() >= 500 && !(problem instanceof InternalFailure)) {
            problem = InternalFailure.report(failure, "GraphQL field " + params.getPath());
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult()
                .error(new Reported(problem, params.getPath(), params.getSourceLocation())).build());
    }

    /** Whether SmallRye reports this failure as it should already: security, coercion, an unavailable database. */
    private static boolean handledBySmallRye(Throwable failure) {
        return failure instanceof io.quarkus.security.ForbiddenException
                || failure instanceof io.quarkus.security.UnauthorizedException
                || failure instanceof graphql.GraphQLException
                || failure instanceof org.eclipse.microprofile.graphql.GraphQLException
                || DatabaseUnavailable.causedBy(failure);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof DataFetcherException || t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The error of a field: the problem's message, its code, and for an internal error the id it is logged under. */
    private static final class Reported extends GraphQLExceptionWhileDataFetching {

        private final Map<String, Object> extensions = new LinkedHashMap<>();

        Reported(ProblemException problem, ResultPath path, SourceLocation location) {
            super(problem.getMessage(), path, problem, location);
            extensions.put("code", problem.slug());
            if (problem instanceof InternalFailure internal) {
                extensions.put("errorId", internal.errorId());
            }
        }

        @Override
        public Map<String, Object> getExtensions() {
            return extensions;
        }
    }
}
