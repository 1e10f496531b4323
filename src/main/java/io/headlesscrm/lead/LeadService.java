package io.headlesscrm.lead;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Working leads: reading them, assigning them and moving them through their lifecycle. Each change is one
 * transaction holding the lead's row lock: the status, its history line and its webhook message commit together;
 * an illegal move is a 409 that names where the lead may go.
 */
@ApplicationScoped
class LeadService {

    @Inject
    Pool pool;
    @Inject
    LeadRepository repository;
    @Inject
    Leads leads;
    @Inject
    AuditLog audit;

    Uni<LeadView> get(UUID id) {
        return repository.find(pool, id, false).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead", id));
    }

    Uni<Page.Slice<LeadView>> list(LeadRepository.Filter filter, Cursor after, int limit) {
        return repository.list(filter, after, limit);
    }

    Uni<Page.Slice<LeadChange>> history(UUID id, Cursor after, int limit) {
        return get(id).flatMap(lead -> repository.history(id, after, limit));
    }

    /**
     * Moves the lead to {@code to} (ASSIGNED: to {@code assignee}, an active rep of some team; by hand a rep's cap
     * does not apply), if the lifecycle allows it from where it is.
     */
    Uni<LeadView> move(UUID id, LeadStatus to, String assignee, String note, Long expectedVersion) {
        Uni<Void> known = assignee == null ? Uni.createFrom().voidItem() : pool.preparedQuery("SELECT 1 FROM sales_rep"
                + " WHERE actor_id = $1 AND active LIMIT 1").execute(Tuple.of(assignee)).invoke(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.validation(List.of(new FieldError("assignee",
                                "is not an active rep of any sales team")));
                    }
                }).replaceWithVoid();
        return known.flatMap(v -> audit.currentActor()).flatMap(actor -> pool.withTransaction(conn -> repository.find(conn, id, true)
                .flatMap(lead -> {
                    if (lead == null) {
                        throw ProblemException.notFound("Lead", id);
                    }
                    if (expectedVersion != null && expectedVersion != lead.version()) {
                        throw ProblemException.preconditionFailed("Lead " + id + " is at version " + lead.version()
                                + ", not " + expectedVersion);
                    }
                    if (!LeadStatus.from(to).contains(lead.status())) {
                        throw illegal(lead.status(), to);
                    }
                    return leads.move(conn, new UUID[] { id }, new String[] { note }, List.of(lead.status()), to,
                            assignee, new Leads.By(actor.type(), actor.id()));
                }).flatMap(written -> repository.find(conn, id, false))));
    }

    private static ProblemException illegal(LeadStatus from, LeadStatus to) {
        List<String> allowed = java.util.Arrays.stream(LeadStatus.values()).filter(s -> LeadStatus.from(s).contains(from)
                && (LeadStatus.REPORTABLE.contains(s) || s == LeadStatus.ASSIGNED)).map(Enum::name).toList();
        String detail = "A " + from + " lead cannot become " + to + (allowed.isEmpty() ? "; it is closed"
                : "; it may become " + String.join(", ", allowed));
        return new ProblemException(409, "illegal-transition", "Conflict", detail,
                List.of(new FieldError(to == LeadStatus.ASSIGNED ? "assignee" : "status", detail)));
    }
}
