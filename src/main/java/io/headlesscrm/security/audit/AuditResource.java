package io.headlesscrm.security.audit;

import java.util.Locale;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The audit log, read-only: there is no endpoint that changes or removes an entry. */
@Path("/api/v1/audit-log")
@Tag(name = "Audit log", description = "Who created, changed and deleted what")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final Set<String> ACTIONS = Set.of("create", "update", "delete");

    @Inject
    AuditRepository repository;
    @Inject
    PageConfig paging;

    @GET
    @PermissionsAllowed(Permissions.AUDIT_READ)
    @Operation(operationId = "listAuditEntries", summary = "List audit entries, newest first",
            description = "Keyset pagination: follow `next` until it is null.")
    @APIResponse(responseCode = "200", description = "A page of audit entries")
    public Uni<Page<AuditEntry>> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Entity type, for example customer or api-key") @QueryParam("entity") String entity,
            @Parameter(description = "Id of the changed entity") @QueryParam("entityId") String entityId,
            @Parameter(description = "Actor id: token subject, API key id, or system") @QueryParam("actor") String actor,
            @Parameter(description = "create, update or delete") @QueryParam("action") String action,
            @Parameter(description = "At or after (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Before (ISO-8601)") @QueryParam("to") String to,
            @Context UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = AuditRepository.KEYSET.fromParam(cursor, "cursor");
        AuditFilter filter = new AuditFilter(blankToNull(entity), blankToNull(entityId), blankToNull(actor),
                action(action), Http.instantParam(from, "from"), Http.instantParam(to, "to"));
        return repository.page(filter, after, size)
                .map(rows -> PageLinks.page(Page.slice(rows, size,
                        e -> AuditRepository.KEYSET.cursor(e.occurredAt(), e.id())), uri));
    }

    private static String action(String action) {
        String a = blankToNull(action);
        if (a != null && !ACTIONS.contains(a.toLowerCase(Locale.ROOT))) {
            throw ProblemException.badRequest("invalid-parameter", "action", "'action' must be one of " + ACTIONS);
        }
        return a == null ? null : a.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
