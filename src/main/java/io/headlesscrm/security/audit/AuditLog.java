package io.headlesscrm.security.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.RequestIds;
import io.headlesscrm.security.Actor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Appends audit rows. It writes through the caller's Hibernate Reactive session (or, for a change made with the SQL
 * client, the caller's connection), so a row commits or rolls back with the change it describes: call it inside the
 * transaction that makes the change.
 */
@ApplicationScoped
public class AuditLog {

    public enum Action {
        CREATE, UPDATE, DELETE, ERASE, MERGE
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    // text first: a string bound straight to jsonb would be stored as a JSON string, not an object
    // ids are time-ordered (UUIDv7), so rows go to the end of the primary key (V25); generated here, not by the
    // database's uuid_v7(), which costs the database a few microseconds a row
    private static final String INSERT = "INSERT INTO audit_log (id, actor_type, actor_id, actor_name, client_id,"
            + " request_id, entity, entity_id, action, changes) VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
            + " CAST(CAST(?9 AS text) AS jsonb))";

    // one statement for both clients: the SQL client numbers parameters $n, Hibernate's native queries ?n
    private static final String INSERT_ALL = "INSERT INTO audit_log (id, actor_type, actor_id, actor_name, client_id,"
            + " request_id, entity, entity_id, action, changes) SELECT e.row_id, $1, $2, $3, $4, $5, $6, e.id, e.action,"
            + " CAST(e.changes AS jsonb) FROM unnest(CAST($10 AS uuid[]), CAST($7 AS text[]), CAST($8 AS text[]),"
            + " CAST($9 AS text[])) AS e(row_id, id, action, changes)";
    private static final String INSERT_ALL_NATIVE = INSERT_ALL.replace('$', '?');

    /** One row of a bulk change: the entity's id, what happened to it and the fields that changed. */
    public record Row(String entityId, Action action, Map<String, Change> changes) {
    }

    @Inject
    CurrentIdentityAssociation identities;
    @Inject
    ObjectMapper mapper;

    /** A view as the map of fields audit rows compare, without the bookkeeping fields named in {@code ignored}. */
    public Map<String, Object> snapshot(Object view, String... ignored) {
        Map<String, Object> fields = mapper.convertValue(view, MAP);
        for (String name : ignored) {
            fields.remove(name);
        }
        return fields;
    }

    public Uni<Void> created(String entity, Object id, Map<String, ?> after) {
        return append(entity, id, Action.CREATE, Change.between(Map.of(), after));
    }

    /** Records an update; an update that changed nothing records nothing. */
    public Uni<Void> updated(String entity, Object id, Map<String, ?> before, Map<String, ?> after) {
        Map<String, Change> changes = Change.between(before, after);
        return changes.isEmpty() ? Uni.createFrom().voidItem() : append(entity, id, Action.UPDATE, changes);
    }

    public Uni<Void> deleted(String entity, Object id, Map<String, ?> before) {
        return append(entity, id, Action.DELETE, Change.between(before, Map.of()));
    }

    /**
     * Records an action with the changes it made, even when there are none: an erasure (which keeps nothing of what it
     * erased) or a merge of equal profiles.
     */
    public Uni<Void> recorded(String entity, Object id, Action action, Map<String, Change> changes) {
        return append(entity, id, action, changes);
    }

    /**
     * Records one {@code action} row per entry of {@code valuesById} (entity id → the fields after a create, before
     * a delete) in one statement: for bulk changes. They name {@code actor} and {@code requestId} explicitly, as a
     * background job runs outside the request that asked for it.
     */
    public Uni<Void> appendAll(Actor actor, String requestId, String entity, Action action,
            Map<String, ? extends Map<String, ?>> valuesById) {
        List<Row> rows = new ArrayList<>(valuesById.size());
        valuesById.forEach((id, values) -> rows.add(new Row(id, action, action == Action.DELETE
                ? Change.between(values, Map.of()) : Change.between(Map.of(), values))));
        return appendAll(actor, requestId, entity, rows);
    }

    /** Records {@code rows}, each its own action and changes, in one statement; rows without changes record nothing. */
    public Uni<Void> appendAll(Actor actor, String requestId, String entity, List<Row> rows) {
        return parameters(actor, requestId, entity, rows).flatMap(p -> p.isEmpty() ? Uni.createFrom().voidItem()
                : Panache.getSession().flatMap(s -> {
                    var query = s.createNativeQuery(INSERT_ALL_NATIVE);
                    for (int i = 0; i < p.size(); i++) {
                        query.setParameter(i + 1, p.get(i));
                    }
                    return query.executeUpdate();
                }).replaceWithVoid());
    }

    /**
     * Records {@code rows} as {@link #appendAll(Actor, String, String, List)} does, through {@code conn}: for a change
     * made with the SQL client, so the rows commit or roll back with it (call it inside that transaction).
     */
    public Uni<Void> appendAll(SqlConnection conn, Actor actor, String requestId, String entity, List<Row> rows) {
        return parameters(actor, requestId, entity, rows).flatMap(p -> p.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(INSERT_ALL).execute(Tuple.from(p)).replaceWithVoid());
    }

    /** The ten parameters of {@link #INSERT_ALL} for the rows with changes; none when no row has any. */
    private Uni<List<Object>> parameters(Actor actor, String requestId, String entity, List<Row> rows) {
        List<Row> changed = rows.stream().filter(r -> !r.changes().isEmpty()).toList();
        if (changed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] rowIds = new UUID[changed.size()];
        String[] ids = new String[rowIds.length];
        String[] actions = new String[ids.length];
        String[] changes = new String[ids.length];
        try {
            for (int i = 0; i < ids.length; i++) {
                Row row = changed.get(i);
                rowIds[i] = newId();
                ids[i] = row.entityId();
                actions[i] = row.action().name().toLowerCase(Locale.ROOT);
                changes[i] = mapper.writeValueAsString(row.changes());
            }
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        // Arrays.asList, not List.of: the actor's client id and the request id may be null
        return Uni.createFrom().item(Arrays.<Object>asList(actor.type(), actor.id(), actor.name(), actor.clientId(),
                requestId, entity, ids, actions, changes, rowIds));
    }

    private Uni<Void> append(String entity, Object id, Action action, Map<String, Change> changes) {
        String json;
        try {
            json = mapper.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        String requestId = RequestIds.current();
        return currentActor().flatMap(actor -> Panache.getSession().flatMap(s -> s.createNativeQuery(INSERT)
                .setParameter(1, actor.type()).setParameter(2, actor.id()).setParameter(3, actor.name())
                .setParameter(4, actor.clientId()).setParameter(5, requestId).setParameter(6, entity)
                .setParameter(7, id.toString()).setParameter(8, action.name().toLowerCase(Locale.ROOT))
                .setParameter(9, json).setParameter(10, newId())
                .executeUpdate())).replaceWithVoid();
    }

    private static UUID newId() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }

    /** Who is making the current change; outside a request (start-up work) the service itself. */
    public Uni<Actor> currentActor() {
        // the deferred identity: reading the identity directly would block where none was established yet
        return identities.getDeferredIdentity().map(Actor::of);
    }
}
