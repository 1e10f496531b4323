package io.headlesscrm.dataio;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.Http;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Likely duplicates: customers sharing a normalised email address or a phone number, group by group. */
@Path("/api/v1/customer-duplicates")
@Tag(name = "Duplicates")
@Produces(MediaType.APPLICATION_JSON)
public class DuplicateResource {

    /** What duplicates share. External ids are unique, so two customers never share one. */
    public enum By {
        EMAIL("lower(email)"), PHONE("phone");

        final String column;
        final Keyset keyset;

        By(String column) {
            this.column = column;
            this.keyset = new Keyset(name().toLowerCase(java.util.Locale.ROOT), KeyType.STRING, "value", "id", false);
        }
    }

    @Schema(name = "DuplicateGroup", description = "Customers sharing a value, oldest first")
    public record Group(@Schema(required = true) By by, @Schema(required = true) String value,
            @Schema(required = true, description = "How many customers share it") long count,
            @Schema(required = true, description = "The first " + SHOWN + " of them, oldest first: merge the others"
                    + " into the one to keep") List<CustomerView> customers) {
    }

    static final int SHOWN = 10;

    @Inject
    CustomerRepository customers;
    @Inject
    PageConfig paging;

    @GET
    @PermissionsAllowed(Permissions.CUSTOMERS_MERGE)
    @Operation(operationId = "listDuplicates", summary = "List likely duplicates",
            description = "Groups of customers with the same email address (compared case-insensitively) or phone "
                    + "number, in order of the value. Needs customers:merge.")
    @APIResponse(responseCode = "200", description = "A page of groups")
    public Uni<Page<Group>> list(
            @Parameter(description = "What the customers share (default EMAIL)") @QueryParam("by") By by,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        By shared = by == null ? By.EMAIL : by;
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        Cursor after = shared.keyset.fromParam(cursor, "cursor");
        return customers.shared(shared.column, after == null ? "" : (String) after.key(), size + 1, SHOWN)
                .flatMap(groups -> customers.views(groups.stream().flatMap(g -> g.ids().stream()).toList(), true)
                        .map(views -> {
                            Map<UUID, CustomerView> byId = views.stream()
                                    .collect(Collectors.toMap(CustomerView::id, Function.identity()));
                            // a customer deleted since the first statement is left out
                            List<Group> page = groups.stream().map(g -> new Group(shared, g.value(), g.count(),
                                    g.ids().stream().map(byId::get).filter(Objects::nonNull).toList())).toList();
                            // the value orders the groups; the id only completes the cursor's shape
                            return Page.slice(page, size, g -> shared.keyset.cursor(g.value(), new UUID(0, 0)));
                        })).map(slice -> PageLinks.page(slice, uri));
    }
}
