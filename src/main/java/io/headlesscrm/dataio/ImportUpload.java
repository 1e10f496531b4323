package io.headlesscrm.dataio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.ProblemResponses;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.security.AuthFailureResponses;
import io.headlesscrm.security.Permissions;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code PUT /api/v1/imports/{id}/file}: the file of an import, of any size, never held whole. It is split into
 * records as it arrives (checked to be UTF-8, a CSV's header checked against the mapping) and stored in chunks of
 * whole records, the request paused while one is written; when all is stored the job is queued and the answer is
 * 202. A file that fails (not UTF-8, a header without a mapped column, a record longer than the body limit, a broken
 * connection) leaves nothing stored and the job awaiting its file again. A Vert.x route for the reason
 * {@code EventStream} is one: Quarkus REST would apply the body limit to the whole file.
 */
@ApplicationScoped
public class ImportUpload {

    static final String PATH = ImportResource.PATH + "/:id/file";
    private static final int ORDER = -5;
    private static final int CHUNK_BYTES = 4 << 20;

    @Inject
    ImportService service;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;
    @Inject
    ProblemResponses problems;
    @Inject
    AuthFailureResponses authFailures;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize recordLimit;
    @Inject
    ImportsConfig config;
    @Inject
    UploadLease lease;

    void install(@Observes Router router) {
        router.put(PATH).order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (!authFailures.permits(rc, Permissions.CUSTOMERS_IMPORT)) {
            return;
        }
        rc.request().pause();
        UUID id;
        try {
            id = Ids.parse(rc.pathParam("id"), "id");
        } catch (ProblemException e) {
            AuthFailureResponses.refuse(rc, () -> problems.send(rc, e));
            return;
        }
        String upload = UUID.randomUUID().toString();
        claim(id, upload, rc.request().getHeader(HttpHeaders.CONTENT_TYPE)).subscribe().with(
                format -> new Run(rc, id, upload, format).start(),
                e -> AuthFailureResponses.refuse(rc, () -> problems.send(rc, Problems.from(e))));
    }

    private static ProblemException takenOver() {
        return ProblemException.conflict("upload-taken-over", null, "The upload stalled for longer than its lease and"
                + " another upload of this import took it over");
    }

    /**
     * Takes the upload's lease on the job ({@link UploadLease}), once it is known to await a file of this content
     * type. An upload whose lease lapsed is taken over: what it stored is dropped, and this file starts afresh.
     */
    private Uni<FileFormat> claim(UUID id, String upload, String contentType) {
        return pool.preparedQuery("SELECT format, status FROM import_job WHERE id = $1").execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Import", id);
                    }
                    var row = rows.iterator().next();
                    FileFormat format = FileFormat.valueOf(row.getString(0));
                    String expected = format.mediaType;
                    if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(expected)) {
                        throw new ProblemException(415, "unsupported-media-type", "Unsupported media type",
                                "This import reads " + format + ": send the file as " + expected, List.of());
                    }
                    return lease.take(id, upload).map(taken -> {
                        if (!taken) {
                            throw ProblemException.conflict("not-awaiting-file", null, "The import is "
                                    + row.getString(1) + ", not AWAITING_FILE: its file was sent already"
                                    + " (or is being sent)");
                        }
                        return format;
                    });
                });
    }

    /** A chunk of whole records, ready to be stored: its first record's line and its bytes. */
    private record Sealed(long firstLine, byte[] body) {
    }

    /** One file being stored; everything runs on the request's event loop, one chunk written at a time. */
    private final class Run {
        private final RoutingContext rc;
        private final HttpServerRequest request;
        private final UUID id;
        private final String upload;
        private final FileFormat format;
        private final RecordSplitter splitter;
        private final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        private String[] header;
        private Map<String, String> columns;
        private long chunkLine;
        private long nextLine;
        private int chunkRecords;
        /** Chunks complete and waiting to be stored, in order (more than one only when a record sealed its chunk). */
        private final Deque<Sealed> sealed = new ArrayDeque<>();
        private int seq;
        private long total;
        private boolean storing;
        private boolean ended;
        private boolean failed;

        Run(RoutingContext rc, UUID id, String upload, FileFormat format) {
            this.rc = rc;
            this.request = rc.request();
            this.id = id;
            this.upload = upload;
            this.format = format;
            this.splitter = new RecordSplitter(format == FileFormat.CSV,
                    (int) Math.min(Integer.MAX_VALUE, recordLimit.asLongValue()), 1, this::record);
        }

        void start() {
            Uni<Void> loaded = format == FileFormat.CSV ? service.job(id).invoke(j -> columns = j.columns())
                    .replaceWithVoid() : Uni.createFrom().voidItem();
            loaded.subscribe().with(v -> {
                if (request.isEnded()) { // an empty body can end before the handlers are set
                    end();
                    return;
                }
                request.handler(buffer -> {
                    if (failed) {
                        return;
                    }
                    try {
                        splitter.feed(buffer.getBytes());
                        next();
                    } catch (RuntimeException e) {
                        fail(e);
                    }
                }).endHandler(v2 -> end()).exceptionHandler(this::fail).resume();
            }, this::fail);
        }

        private void end() {
            if (failed) {
                return;
            }
            try {
                splitter.end();
                ended = true;
                next();
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void record(long line, byte[] bytes, RecordSplitter.Defect defect) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw ProblemException.badRequest("invalid-encoding", null, "Line " + line
                        + " is not UTF-8: send the file in UTF-8 (with or without a byte order mark)");
            }
            if (format == FileFormat.CSV && header == null) {
                header = header(line, bytes, defect);
                return;
            }
            if (chunkRecords == 0) {
                chunkLine = line;
                nextLine = line;
            }
            for (; nextLine < line; nextLine++) { // blank lines stay, so the chunk's records keep their line numbers
                chunk.write('\n');
            }
            chunk.writeBytes(bytes);
            chunk.write('\n');
            nextLine = line + 1;
            for (byte b : bytes) {
                nextLine += b == '\n' ? 1 : 0;
            }
            chunkRecords++;
            total++;
            if (defect == RecordSplitter.Defect.UNCLOSED) {
                // the worker splits the chunk again, with no limit: the record must end its chunk, even in the midst
                // of a buffer, or the worker could read on past where this upload cut it back
                seal();
            }
        }

        private void seal() {
            sealed.add(new Sealed(chunkLine, chunk.toByteArray()));
            chunk.reset();
            chunkRecords = 0;
        }

        private String[] header(long line, byte[] bytes, RecordSplitter.Defect defect) {
            List<String> cells;
            try {
                if (defect != null) {
                    throw new CsvCells.Unreadable("has a quote that is not closed where its cell ends");
                }
                cells = CsvCells.split(bytes);
            } catch (CsvCells.Unreadable e) {
                throw ProblemException.validation(List.of(new FieldError("header", "the header on line " + line + " "
                        + e.getMessage())));
            }
            List<String> names = cells.stream().map(String::strip).toList();
            Set<String> seen = new HashSet<>();
            List<FieldError> errors = new java.util.ArrayList<>();
            names.stream().filter(n -> !seen.add(n)).distinct()
                    .forEach(n -> errors.add(new FieldError("header", "column '" + n + "' appears more than once")));
            columns.keySet().stream().filter(c -> !seen.contains(c))
                    .forEach(c -> errors.add(new FieldError("columns." + c, "the file's header has no column '" + c + "'")));
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            return names.toArray(String[]::new);
        }

        /** Stores a full chunk (or, at the end, what is left); queues the job when all is stored. */
        private void next() {
            if (storing || failed) {
                return;
            }
            if (chunkRecords > 0 && (chunkRecords >= config.chunkRows() || chunk.size() >= CHUNK_BYTES || ended)) {
                seal();
            }
            Sealed next = sealed.poll();
            if (next != null) {
                storing = true;
                request.pause();
                lease.store(id, upload, seq++, next.firstLine(), next.body()).subscribe().with(stored -> {
                    if (!stored) {
                        fail(takenOver());
                        return;
                    }
                    storing = false;
                    if (!ended) {
                        request.resume();
                    }
                    next();
                }, this::fail);
            } else if (ended) {
                if (format == FileFormat.CSV && header == null) {
                    fail(ProblemException.validation(List.of(new FieldError("header", "the file is empty: a CSV "
                            + "import starts with a header row"))));
                    return;
                }
                storing = true;
                lease.queue(id, upload, header, total).flatMap(queued -> {
                    if (!queued) {
                        throw takenOver();
                    }
                    return service.job(id);
                }).subscribe().with(job -> {
                    try {
                        rc.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                .putHeader(HttpHeaders.LOCATION, ImportResource.PATH + "/" + id)
                                .end(mapper.writeValueAsString(job));
                    } catch (JsonProcessingException e) {
                        problems.send(rc, Problems.from(e));
                    }
                }, this::fail);
            }
        }

        /** Drops what was stored, gives the job back its AWAITING_FILE, and answers (if the client still listens). */
        private void fail(Throwable e) {
            if (failed) {
                return;
            }
            failed = true;
            ProblemException problem = e instanceof RecordSplitter.TooLong tooLong
                    ? new ProblemException(413, "record-too-long", "Record too long", "The record starting on line "
                            + tooLong.line + " is longer than " + recordLimit.asLongValue()
                            + " bytes (an unclosed quote?)", List.of())
                    : Problems.from(e);
            AuthFailureResponses.refuse(rc, () -> lease.giveBack(id, upload)
                    .subscribe().with(v -> answer(problem), x -> answer(problem)));
        }

        private void answer(ProblemException problem) {
            if (!rc.response().ended() && !rc.response().closed()) {
                problems.send(rc, problem);
            }
        }
    }
}
