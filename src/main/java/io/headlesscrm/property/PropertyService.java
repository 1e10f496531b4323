package io.headlesscrm.property;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.KeysetQuery;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Declares and removes properties (audited); a declaration is not changed in place: delete it and declare again. */
@ApplicationScoped
public class PropertyService {

    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    private static final String ENTITY = "property";
    private static final String KEY_CONSTRAINT = "property_definition_key";
    private static final String INSERT = "INSERT INTO property_definition (id, scope, event_type, name, type,"
            + " enum_values, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";

    @Inject
    Pool pool;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;

    public Uni<PropertyView> create(PropertyInput input) {
        if (input == null) {
            throw ProblemException.badRequest("invalid-field", null, "The body must be a property object");
        }
        validator.validate(input);
        UUID id = UuidVersion7Strategy.INSTANCE.generateUuid(null);
        Instant now = Instant.now();
        PropertyView view = new PropertyView(id, input.scope(), input.eventType(), input.name(), input.type(),
                input.values(), input.description(), now);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s.createNativeQuery(INSERT)
                .setParameter(1, id).setParameter(2, input.scope().name())
                .setParameter(3, input.eventType() == null ? "" : input.eventType()).setParameter(4, input.name())
                .setParameter(5, input.type().name())
                .setParameter(6, input.values() == null ? null : input.values().toArray(String[]::new))
                .setParameter(7, input.description()).setParameter(8, now).executeUpdate())
                .call(() -> audit.created(ENTITY, id, snapshot(view))))
                .replaceWith(view)
                .onFailure(e -> Problems.isUniqueViolation(e, KEY_CONSTRAINT))
                .transform(e -> ProblemException.conflict("property-exists", "name", "The property " + input.name()
                        + " is already declared for this scope" + (input.eventType() == null ? "" : " and event type")));
    }

    public Uni<PropertyView> get(UUID id) {
        return pool.preparedQuery("SELECT " + PropertyView.COLUMNS + " FROM property_definition WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Property", id);
                    }
                    return PropertyView.of(rows.iterator().next());
                });
    }

    public Uni<Page.Slice<PropertyView>> list(PropertyScope scope, String eventType, Cursor after, int limit) {
        KeysetQuery q = KeysetQuery.sql("SELECT " + PropertyView.COLUMNS + " FROM property_definition")
                .whereIf(scope == null ? null : scope.name(), "scope = ?").whereIf(eventType, "event_type = ?")
                .page(KEYSET, after, limit);
        return pool.preparedQuery(q.query()).execute(Tuple.from(q.positional())).map(rows -> {
            List<PropertyView> views = new ArrayList<>();
            rows.forEach(r -> views.add(PropertyView.of(r)));
            return Page.slice(views, limit, p -> KEYSET.cursor(null, p.id()));
        });
    }

    /** Removes the declaration; values already stored stay as they are, and are no longer checked. */
    public Uni<Void> delete(UUID id) {
        return get(id).flatMap(view -> Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.createNativeQuery("DELETE FROM property_definition WHERE id = ?1").setParameter(1, id)
                        .executeUpdate())
                .call(() -> audit.deleted(ENTITY, id, snapshot(view)))))
                .replaceWithVoid();
    }

    private Map<String, Object> snapshot(PropertyView view) {
        return audit.snapshot(view, "id", "createdAt");
    }
}
