package io.headlesscrm.common.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import io.headlesscrm.common.error.DatabaseUnavailable;
import io.headlesscrm.common.error.InternalFailure;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.smallrye.graphql.execution.datafetcher.DataFetcherException;
import io.smallrye.graphql.execution.error.ExceptionHandler;

/**
 * How a failed field is reported: as the {@link ProblemException} REST would answer, whose message SmallRye shows
 * and whose {@code extensions} (the problem's {@code code}, and an internal error's {@code errorId}) graphql-java
 * copies. A failure that is not a problem yet is mapped as REST maps it ({@link Problems#from}), so a database
 * refusal of bad input is the same 4xx code as over REST, and what is left is an {@link InternalFailure}, logged
 * once (SmallRye answered "System error" and logged nothing). Security and GraphQL errors, and an unavailable
 * database ({@link UnavailableErrors}), go to SmallRye's handler as they are. Installed by {@link GraphQLBuild}.
 */
final class FieldErrors implements DataFetcherExceptionHandler {

    private final ExceptionHandler smallrye = new ExceptionHandler();

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters params) {
        Throwable failure = unwrap(params.getException());
        if (failure instanceof ProblemException || reportedBySmallRye(failure)) {
            return smallrye.handleException(params);
        }
        ProblemException problem = Problems.from(failure);
        if (problem.status() >= 500) {
            problem = InternalFailure.report(failure, "GraphQL field " + params.getPath());
        }
        return smallrye.handleException(DataFetcherExceptionHandlerParameters.newExceptionParameters()
                .dataFetchingEnvironment(params.getDataFetchingEnvironment()).exception(problem).build());
    }

    private static boolean reportedBySmallRye(Throwable failure) {
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
}
