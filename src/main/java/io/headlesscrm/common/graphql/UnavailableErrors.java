package io.headlesscrm.common.graphql;

import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import graphql.ExceptionWhileDataFetching;
import graphql.GraphQLError;
import io.headlesscrm.common.error.DatabaseUnavailable;
import io.headlesscrm.common.error.ServiceUnavailable;
import io.smallrye.graphql.execution.ExecutionResponse;

/**
 * A field that failed because the database is unavailable (see {@link DatabaseUnavailable}) is reported as such,
 * with the REST problem's code and its Retry-After, instead of SmallRye's "System error"; and the outage is logged
 * once, as for REST.
 */
final class UnavailableErrors {

    private UnavailableErrors() {
    }

    /** The response's JSON with each such error rewritten; null when the database caused none of its errors. */
    static JsonObject rewrite(ExecutionResponse response) {
        List<GraphQLError> errors = response.getExecutionResult().getErrors();
        ServiceUnavailable unavailable = null;
        boolean[] caused = new boolean[errors.size()];
        for (int i = 0; i < errors.size(); i++) {
            if (errors.get(i) instanceof ExceptionWhileDataFetching e && DatabaseUnavailable.causedBy(e.getException())) {
                caused[i] = true;
                unavailable = unavailable != null ? unavailable : new ServiceUnavailable(e.getException());
            }
        }
        if (unavailable == null) {
            return null;
        }
        unavailable.report();
        JsonObject json = response.getExecutionResultAsJsonObject();
        JsonArray written = json.getJsonArray("errors"); // one entry per error, in the same order
        JsonArrayBuilder rewritten = Json.createArrayBuilder();
        for (int i = 0; i < written.size(); i++) {
            JsonObject error = written.getJsonObject(i);
            if (caused[i]) {
                JsonObject extensions = error.containsKey("extensions") ? error.getJsonObject("extensions")
                        : JsonObject.EMPTY_JSON_OBJECT;
                error = Json.createObjectBuilder(error).add("message", unavailable.getMessage())
                        .add("extensions", Json.createObjectBuilder(extensions).add("code", unavailable.slug())
                                .add("retryAfter", unavailable.retryAfterSeconds()))
                        .build();
            }
            rewritten.add(error);
        }
        return Json.createObjectBuilder(json).add("errors", rewritten).build();
    }
}
