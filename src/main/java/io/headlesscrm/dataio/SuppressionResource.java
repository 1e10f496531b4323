package io.headlesscrm.dataio;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.customer.Suppressions;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/**
 * The suppression list, looked up by value: it holds salted hashes only, so it can be neither listed nor read back.
 */
@Path("/api/v1/suppressions")
@Tag(name = "Privacy")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionResource {

    @Schema(name = "SuppressedContact", description = "Contact data to look up on the suppression list; at least one")
    public record Contact(@Schema(examples = "ada@example.com") String email,
            @Schema(examples = "+8613800000000") String phone,
            @Schema(examples = "crm-42") String externalId) {

        List<Suppressions.Value> values() {
            List<Suppressions.Value> values = Suppressions.of(externalId, email, phone);
            if (values.isEmpty()) {
                throw ProblemException.validation(List.of(new FieldError(null,
                        "give at least one of email, phone and externalId")));
            }
            return values;
        }
    }

    @Schema(name = "SuppressionAnswer")
    public record Answer(@Schema(required = true, description = "The fields of the request (email, phone, externalId)"
            + " that are (check) or were (lift) suppressed") List<String> fields) {
    }

    @Inject
    Suppressions suppressions;

    @POST
    @Path("check")
    @PermissionsAllowed(Permissions.CUSTOMERS_ERASE)
    @Operation(operationId = "checkSuppression", summary = "Whether contact data is suppressed",
            description = "Suppressed data belonged to an erased customer: creates, upserts and imports carrying it "
                    + "are refused (409 customer-suppressed, or a failed import row).")
    @APIResponse(responseCode = "200", description = "The suppressed fields, none if none")
    @APIResponse(responseCode = "422", description = "No value given")
    public Uni<Answer> check(Contact contact) {
        List<Suppressions.Value> values = contact(contact).values();
        return Panache.withSession(() -> suppressions.suppressed(values))
                .map(found -> new Answer(values.stream().filter(found::contains).map(Suppressions.Value::field).toList()));
    }

    @POST
    @Path("lift")
    @PermissionsAllowed(Permissions.CUSTOMERS_ERASE)
    @Operation(operationId = "liftSuppression", summary = "Lift the suppression of contact data",
            description = "For a person who comes back of their own will: their data can be created or imported again.")
    @APIResponse(responseCode = "200", description = "The fields that were suppressed and no longer are")
    @APIResponse(responseCode = "422", description = "No value given")
    public Uni<Answer> lift(Contact contact) {
        List<Suppressions.Value> values = contact(contact).values();
        return Panache.withTransaction(() -> suppressions.lift(values)).map(Answer::new);
    }

    private static Contact contact(Contact contact) {
        return contact == null ? new Contact(null, null, null) : contact;
    }
}
