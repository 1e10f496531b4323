package io.headlesscrm.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Purge;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.work.ServiceClock;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The delivery log: messages per endpoint and state, each with its attempts; resending one; recovering many. */
@ApplicationScoped
public class WebhookMessageService {

    static final Keyset KEYSET = new Keyset("createdAt", KeyType.INSTANT, "created_at", "id", true);

    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;
    @Inject
    ServiceClock clock;
    @Inject
    WebhookConfig config;

    /** Newest first; {@code state} null for all. */
    public Uni<Page.Slice<WebhookMessageView>> list(UUID endpointId, WebhookMessageView.State state, Cursor after,
            int limit) {
        KeysetQuery q = KeysetQuery.sql("SELECT " + WebhookMessageView.COLUMNS + " FROM webhook_message")
                .where("endpoint_id = ?", endpointId).whereIf(state == null ? null : state.name(), "state = ?")
                .page(KEYSET, after, limit);
        return endpointExists(endpointId)
                .flatMap(v -> pool.preparedQuery(q.query()).execute(Tuple.from(q.positional()))).map(rows -> {
            List<WebhookMessageView> views = new ArrayList<>();
            rows.forEach(r -> views.add(WebhookMessageView.of(r, null, null)));
            return Page.slice(views, limit, m -> KEYSET.cursor(m.createdAt(), m.id()));
        });
    }

    /** One message with its payload and every attempt, oldest first. */
    public Uni<WebhookMessageView> get(UUID id) {
        return pool.preparedQuery("SELECT " + WebhookMessageView.COLUMNS + ", body FROM webhook_message WHERE id = $1")
                .execute(Tuple.of(id)).flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Webhook message", id);
                    }
                    Row message = rows.iterator().next();
                    return pool.preparedQuery("SELECT attempted_at, status_code, latency_ms, error, response_excerpt"
                            + " FROM webhook_attempt WHERE message_id = $1 ORDER BY id").execute(Tuple.of(id))
                            .map(attempts -> {
                                List<WebhookMessageView.Attempt> list = new ArrayList<>();
                                attempts.forEach(a -> list.add(WebhookMessageView.Attempt.of(a)));
                                return WebhookMessageView.of(message, payload(message.getString("body")), list);
                            });
                });
    }

    // made due again through the outbox, which wakes the dispatcher once they commit
    private static final String RESEND = "WITH due AS (UPDATE webhook_message SET state = 'PENDING', attempts = 0,"
            + " next_attempt_at = $2, last_error = NULL, delivered_at = NULL WHERE id = $1 RETURNING "
            + WebhookMessageView.COLUMNS + ") SELECT *, 1 AS " + Outbox.MESSAGES + " FROM due";
    private static final String RECOVER = "WITH due AS (UPDATE webhook_message SET state = 'PENDING', attempts = 0,"
            + " next_attempt_at = $3, last_error = NULL WHERE endpoint_id = $1 AND created_at >= $2"
            + " AND state IN ('FAILED', 'DEAD') RETURNING 1) SELECT count(*) AS " + Outbox.MESSAGES + " FROM due";

    /** Sends a message again, whatever its state, with a fresh retry schedule and the same webhook-id. */
    public Uni<WebhookMessageView> resend(UUID id) {
        return pool.withTransaction(conn -> outbox.write(conn, RESEND, Tuple.of(id, now()))).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("Webhook message", id);
            }
            return WebhookMessageView.of(rows.iterator().next(), null, null);
        });
    }

    /** Sends again every failed or dead message to an enabled endpoint created since {@code since}; how many. */
    public Uni<Integer> recover(UUID endpointId, Instant since) {
        if (since == null) {
            throw ProblemException.validation(List.of(new FieldError("since", "is required")));
        }
        return pool.preparedQuery("SELECT enabled FROM webhook_endpoint WHERE id = $1").execute(Tuple.of(endpointId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Webhook endpoint", endpointId);
                    }
                    if (!rows.iterator().next().getBoolean("enabled")) {
                        throw ProblemException.conflict("endpoint-disabled", null,
                                "Enable the endpoint before recovering its messages");
                    }
                    return pool.withTransaction(conn -> outbox.write(conn, RECOVER,
                            Tuple.of(endpointId, since.atOffset(ZoneOffset.UTC), now())));
                }).map(rows -> rows.iterator().next().getLong(Outbox.MESSAGES).intValue());
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    /**
     * The delivery log is not an archive: delivered and dead messages (and their attempts) older than the retention
     * period are deleted, a few thousand per statement so no purge holds locks for long.
     */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return Purge.untilDone(() -> pool.preparedQuery("DELETE FROM webhook_message WHERE id IN (SELECT id FROM"
                + " webhook_message WHERE state IN ('DELIVERED', 'DEAD') AND created_at < $1 LIMIT " + Purge.BATCH + ")")
                .execute(Tuple.of(Instant.now().minus(config.retention()).atOffset(ZoneOffset.UTC))).map(RowSet::rowCount))
                .replaceWithVoid();
    }

    private Uni<Void> endpointExists(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM webhook_endpoint WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("Webhook endpoint", id);
            }
            return null;
        });
    }

    /** The stored body; none before the first attempt of a message whose body is rendered then. */
    private com.fasterxml.jackson.databind.JsonNode payload(String body) {
        if (body == null) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored webhook body is not JSON", e);
        }
    }
}
