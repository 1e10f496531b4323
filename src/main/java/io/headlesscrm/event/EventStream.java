package io.headlesscrm.event;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.ProblemResponses;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.security.AuthFailureResponses;
import io.headlesscrm.security.Permissions;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/events/stream}: NDJSON of any length, for back-fills. The body is never held whole: lines are
 * read as they arrive and stored 1000 at a time through {@link EventService}, and the request is paused while a chunk
 * is stored (back-pressure). The body limit applies to each line, not to the stream: a longer line is rejected and the
 * stream goes on, as does a malformed one. A Vert.x route rather than a resource method, because Quarkus REST would
 * apply the body limit to the whole stream; it runs after authentication and the rate limit, checks the permission
 * itself, and is documented by {@link EventStreamDocs}.
 */
@ApplicationScoped
public class EventStream {

    static final String PATH = "/api/v1/events/stream";
    static final String NDJSON = "application/x-ndjson";
    /** After authentication (-200), path authorization (-100) and the rate limit (-90); before the body limits (-3). */
    private static final int ORDER = -5;

    @Inject
    EventService service;
    @Inject
    ObjectMapper mapper;
    @Inject
    ProblemResponses problems;
    @Inject
    AuthFailureResponses authFailures;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize lineLimit;

    void install(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (!authFailures.permits(rc, Permissions.EVENTS_WRITE)) {
            return;
        }
        if (!isNdjson(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            AuthFailureResponses.refuse(rc, () -> problems.send(rc, new ProblemException(415, "unsupported-media-type",
                    "Unsupported media type", "Send the events as " + NDJSON + ", one JSON object per line", List.of())));
        } else {
            new Run(rc).start();
        }
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim();
        return type.equalsIgnoreCase(NDJSON) || type.equalsIgnoreCase("application/jsonl");
    }

    /** One stream being read. Everything runs on the request's event loop, one chunk stored at a time. */
    private final class Run {
        private final RoutingContext rc;
        private final HttpServerRequest request;
        private final NdjsonLines lines;
        private final List<Long> numbers = new ArrayList<>();
        private final List<JsonNode> pending = new ArrayList<>();
        private final List<EventStreamResult.RejectedLine> errors = new ArrayList<>();
        private long read;
        private long accepted;
        private long duplicates;
        private long rejected;
        private boolean storing;
        private boolean ended;
        private boolean failed;

        Run(RoutingContext rc) {
            this.rc = rc;
            this.request = rc.request();
            this.lines = new NdjsonLines((int) Math.min(Integer.MAX_VALUE, lineLimit.asLongValue()), this::line);
        }

        void start() {
            request.handler(buffer -> {
                lines.feed(buffer);
                next();
            }).endHandler(v -> {
                lines.end();
                ended = true;
                next();
            }).exceptionHandler(e -> failed = true).resume();
        }

        private void line(long number, String text) {
            read++;
            if (text == null) {
                reject(number, List.of(new FieldError(null, "the line is longer than " + lineLimit.asLongValue()
                        + " bytes")));
                return;
            }
            try {
                numbers.add(number);
                pending.add(mapper.readTree(text));
            } catch (JsonProcessingException e) {
                numbers.remove(numbers.size() - 1);
                ProblemException problem = Problems.from(e); // text PostgreSQL cannot store is named by field
                reject(number, "invalid-text".equals(problem.slug()) ? problem.errors()
                        : List.of(new FieldError(null, "not valid JSON: " + e.getOriginalMessage())));
            }
        }

        private void reject(long line, List<FieldError> why) {
            rejected++;
            if (errors.size() < EventStreamResult.MAX_ERRORS) {
                errors.add(new EventStreamResult.RejectedLine(line, why));
            }
        }

        /** Stores a full chunk (or, at the end, what is left), or answers when all is stored. */
        private void next() {
            if (storing || failed) {
                return;
            }
            if (pending.size() >= EventBatch.MAX_ITEMS || (ended && !pending.isEmpty())) {
                storing = true;
                request.pause();
                int size = Math.min(pending.size(), EventBatch.MAX_ITEMS);
                List<JsonNode> chunk = new ArrayList<>(pending.subList(0, size));
                List<Long> chunkLines = new ArrayList<>(numbers.subList(0, size));
                pending.subList(0, size).clear();
                numbers.subList(0, size).clear();
                service.ingest(chunk).subscribe().with(result -> {
                    accepted += result.accepted();
                    duplicates += result.duplicates();
                    result.errors().forEach(r -> reject(chunkLines.get(r.index()), r.errors()));
                    storing = false;
                    if (!ended) {
                        request.resume();
                    }
                    next();
                }, failure -> {
                    failed = true;
                    request.handler(dropped -> {
                    }).resume();
                    problems.send(rc, Problems.from(failure));
                });
            } else if (ended) {
                errors.sort(java.util.Comparator.comparingLong(EventStreamResult.RejectedLine::line));
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                try {
                    rc.response().end(mapper.writeValueAsString(new EventStreamResult(read, accepted, duplicates,
                            rejected, errors)));
                } catch (JsonProcessingException e) {
                    problems.send(rc, Problems.from(e));
                }
            }
        }
    }
}
