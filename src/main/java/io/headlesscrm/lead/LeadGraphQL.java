package io.headlesscrm.lead;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;
import org.eclipse.microprofile.graphql.Type;

import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.customer.CustomerNodes;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/**
 * Leads over GraphQL: a rep's open leads with their customers (one statement for a whole page) and traces, any
 * list of leads, and the lifecycle moves, through the same {@link LeadService} as REST.
 */
@GraphQLApi
public class LeadGraphQL {

    @Inject
    LeadService service;
    @Inject
    CustomerNodes customers;
    @Inject
    PageConfig paging;
    @Inject
    AuditLog audit;

    @Input("LeadFilter")
    @Description("All given conditions must hold; the same filters as GET /api/v1/leads")
    public record Filter(LeadStatus status, @Description("Only NEW, ASSIGNED, CONTACTED or QUALIFIED leads") Boolean open,
            @Id String ruleId, String assignee, @Id String customerId) {

        LeadRepository.Filter toFilter() {
            return new LeadRepository.Filter(status, Boolean.TRUE.equals(open), Ids.parse(ruleId, "filter.ruleId"),
                    assignee, Ids.parse(customerId, "filter.customerId"));
        }
    }

    @Type("LeadConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("LeadEdge")
    public record Edge(@NonNull String cursor, @NonNull LeadView node) {
    }

    @Description("Result of a lead's move: the lead as it is now, or why not")
    public record LeadPayload(LeadView lead, @NonNull List<@NonNull UserError> userErrors) {
    }

    @PermissionsAllowed(Permissions.LEADS_READ)
    @Query("leads")
    @Description("Leads newest first, page by page (first/after), filtered")
    public Uni<Connection> leads(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, Filter filter) {
        return Uni.createFrom().deferred(() -> {
            int limit = paging.limit(first, "first");
            Cursor cursor = LeadRepository.KEYSET.fromParam(after, "after");
            LeadRepository.Filter f = filter == null ? new LeadRepository.Filter(null, false, null, null, null)
                    : filter.toFilter();
            return service.list(f, cursor, limit).map(slice -> connection(slice, cursor));
        });
    }

    @PermissionsAllowed(Permissions.LEADS_READ)
    @Query("myLeads")
    @Description("The caller's open leads (assigned to their Keycloak subject or API key id), newest first")
    public Uni<Connection> myLeads(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after) {
        return audit.currentActor().flatMap(actor -> {
            int limit = paging.limit(first, "first");
            Cursor cursor = LeadRepository.KEYSET.fromParam(after, "after");
            return service.list(new LeadRepository.Filter(null, true, null, actor.id(), null), cursor, limit)
                    .map(slice -> connection(slice, cursor));
        });
    }

    @PermissionsAllowed(Permissions.LEADS_READ)
    @Query("lead")
    @Description("A lead by id, or null when there is none")
    public Uni<LeadView> lead(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.get(Ids.parse(id, "id")))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    /** Batched: the customers of a whole page of leads cost one statement. */
    @PermissionsAllowed(Permissions.CUSTOMERS_READ)
    @Description("Whom the lead is about (contact details masked as for the customer query)")
    public Uni<List<CustomerView>> customer(@Source List<LeadView> leads) {
        List<UUID> ids = leads.stream().map(LeadView::customerId).distinct().toList();
        return customers.views(ids).map(found -> {
            Map<UUID, CustomerView> byId = found.stream().collect(Collectors.toMap(CustomerView::id, c -> c));
            return leads.stream().map(l -> byId.get(l.customerId())).toList();
        });
    }

    @PermissionsAllowed(Permissions.LEADS_WORK)
    @Mutation
    @Description("Assign a new or assigned lead to a rep (a Keycloak subject or an API key id)")
    public Uni<LeadPayload> assignLead(@NonNull @Id String id, @NonNull String assignee, String note) {
        return payload(Uni.createFrom().deferred(() -> {
            if (assignee.isBlank() || assignee.length() > 255) {
                throw ProblemException.validation(List.of(new FieldError("assignee", "must be 1 to 255 characters")));
            }
            checkNote(note);
            return service.move(Ids.parse(id, "id"), LeadStatus.ASSIGNED, assignee.trim(), note, null);
        }));
    }

    @PermissionsAllowed({ Permissions.LEADS_WORK, Permissions.LEADS_REPORT })
    @Mutation
    @Description("Move a lead on: CONTACTED, QUALIFIED, CONVERTED or DISQUALIFIED. With expectedVersion, only if it "
            + "is still at that version.")
    public Uni<LeadPayload> changeLeadStatus(@NonNull @Id String id, @NonNull LeadStatus status, String note,
            Long expectedVersion) {
        return payload(Uni.createFrom().deferred(() -> {
            if (!LeadStatus.REPORTABLE.contains(status)) {
                throw ProblemException.validation(List.of(new FieldError("status",
                        "must be CONTACTED, QUALIFIED, CONVERTED or DISQUALIFIED (assign with assignLead)")));
            }
            checkNote(note);
            return service.move(Ids.parse(id, "id"), status, null, note, expectedVersion);
        }));
    }

    private static void checkNote(String note) {
        if (note != null && note.length() > 1000) {
            throw ProblemException.validation(List.of(new FieldError("note", "must be at most 1000 characters")));
        }
    }

    private static Uni<LeadPayload> payload(Uni<LeadView> move) {
        return move.map(l -> new LeadPayload(l, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new LeadPayload(null, errors)));
    }

    private static Connection connection(Page.Slice<LeadView> slice, Cursor after) {
        return Connections.of(slice, after, l -> LeadRepository.KEYSET.cursor(null, l.id()), Edge::new, Connection::new);
    }
}
