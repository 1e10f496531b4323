package io.headlesscrm.common.graphql;

import graphql.ExecutionResult;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;

/**
 * graphql-java's MaxQueryDepthInstrumentation (same measure, same message) except that a field inside an
 * introspection field has no depth. graphql-java's offers no hook to leave fields out, hence this copy of its idea.
 */
final class MaxDataDepthInstrumentation extends SimplePerformantInstrumentation {

    private final int maxDepth;

    MaxDataDepthInstrumentation(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ExecutionContext context = parameters.getExecutionContext();
        int depth = QueryTraverser.newQueryTraverser()
                .schema(context.getGraphQLSchema())
                .document(context.getDocument())
                .operationName(context.getExecutionInput().getOperationName())
                .coercedVariables(context.getCoercedVariables())
                .build()
                .reducePreOrder((field, deepest) -> Math.max(depth(field), deepest), 0);
        if (depth > maxDepth) {
            throw new AbortExecutionException("maximum query depth exceeded " + depth + " > " + maxDepth);
        }
        return SimpleInstrumentationContext.noOp();
    }

    /** Levels from the operation down to this field (1 for a root field), 0 within introspection. */
    private static int depth(QueryVisitorFieldEnvironment field) {
        int levels = 0;
        for (QueryVisitorFieldEnvironment at = field; at != null; at = at.getParentEnvironment()) {
            if (QueryLimits.isIntrospection(at.getField())) {
                return 0;
            }
            levels++;
        }
        return levels;
    }
}
