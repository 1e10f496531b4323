package io.headlesscrm.dataio;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The lease an upload holds on its import while the file is stored ({@link ImportUpload}): taken when the job awaits
 * its file (or its upload's lease lapsed: its instance died, or its client stalled longer than the lease), renewed by
 * every chunk stored, and given up when the file is all stored (the job is queued) or fails (the job awaits its file
 * again). Not the kit's {@link io.headlesscrm.common.work.JobLease}, for three reasons: it takes a named job for one
 * request, not the next queued job for an instance, so its owner is the upload, not the instance; a chunk is stored
 * only while the lease is held, so storing and renewing are one statement, as taking over and dropping what the
 * lapsed upload stored are; and it runs on the SQL client, on the request's event loop, with no Hibernate session.
 * Lease times are the database's {@code now()}, like the kit's.
 */
@ApplicationScoped
class UploadLease {

    /** Whether an upload holds the job now (a Hibernate query: an upload whose lease lapsed can be cancelled). */
    static final String HELD = "SELECT coalesce(lease_until > now(), false) FROM import_job WHERE id = ?1";

    private static final String TAKE = "WITH claimed AS (UPDATE import_job SET status = 'UPLOADING', owner = $2,"
            + " lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND (status = 'AWAITING_FILE'"
            + " OR (status = 'UPLOADING' AND lease_until < now())) RETURNING id),"
            + " dropped AS (DELETE FROM import_chunk WHERE job_id IN (SELECT id FROM claimed))"
            + " SELECT count(*) FROM claimed";
    private static final String STORE = "WITH renewed AS (UPDATE import_job SET lease_until = now()"
            + " + make_interval(secs => $6) WHERE id = $1 AND status = 'UPLOADING' AND owner = $5 RETURNING id)"
            + " INSERT INTO import_chunk (job_id, seq, first_line, body) SELECT id, $2, $3, $4 FROM renewed";
    private static final String QUEUE = "UPDATE import_job SET status = 'QUEUED', header = $2, total = $3,"
            + " uploaded_at = now(), owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'UPLOADING'"
            + " AND owner = $4";
    // only while this upload holds the job: one that took it over keeps its own chunks
    private static final String GIVE_BACK = "WITH released AS (UPDATE import_job SET status = 'AWAITING_FILE',"
            + " owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'UPLOADING' AND owner = $2 RETURNING id)"
            + " DELETE FROM import_chunk WHERE job_id IN (SELECT id FROM released)";

    @Inject
    Pool pool;
    @Inject
    ImportsConfig config;

    /** Takes the job for {@code upload}, dropping what a lapsed upload stored; false when it does not await a file. */
    Uni<Boolean> take(UUID id, String upload) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(id, upload, seconds()))
                .map(claimed -> claimed.iterator().next().getLong(0) > 0);
    }

    /** Stores a chunk and renews the lease; false when another upload has taken the job over. */
    Uni<Boolean> store(UUID id, String upload, int seq, long firstLine, byte[] body) {
        return pool.preparedQuery(STORE).execute(Tuple.tuple(List.of(id, seq, firstLine, Buffer.buffer(body), upload,
                seconds()))).map(stored -> stored.rowCount() > 0);
    }

    /** The file is all stored: the job is queued for the worker; false when another upload has taken it over. */
    Uni<Boolean> queue(UUID id, String upload, String[] header, long total) {
        return pool.preparedQuery(QUEUE).execute(Tuple.of(id, header, total, upload)).map(queued -> queued.rowCount() > 0);
    }

    /** The file failed: what it stored is dropped and the job awaits its file again (if this upload still holds it). */
    Uni<Void> giveBack(UUID id, String upload) {
        return pool.preparedQuery(GIVE_BACK).execute(Tuple.of(id, upload)).replaceWithVoid();
    }

    private double seconds() {
        return config.lease().toMillis() / 1000.0;
    }
}
