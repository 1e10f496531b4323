package io.headlesscrm.dataio;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.customer.CustomerRepository;
import io.headlesscrm.customer.CustomerView;
import io.headlesscrm.common.personal.PersonalData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** A subject access request's answer: the profile and what every feature holds about the customer ({@link PersonalData}). */
@ApplicationScoped
public class SubjectAccessService {

    @Schema(name = "SubjectAccessReport", description = "Everything held about one customer (GDPR art. 15, PIPL art. 45)")
    public record Report(
            @Schema(required = true) UUID customerId,
            @Schema(required = true) Instant generatedAt,
            @Schema(required = true, description = "The customer as the API shows them, contact details unmasked") CustomerView profile,
            @Schema(required = true, type = SchemaType.OBJECT, description = "What each feature holds, by section:"
                    + " tags, consents, events {recorded, anonymousIds}, touchpoints (with their status history),"
                    + " webhookMessages (with their bodies), auditEntries, leads (with their history), segments"
                    + " {memberships, changes}, campaigns {recipients, conversions}, idempotencyKeys. Rows are"
                    + " objects of camelCase fields; JSON values (attributes, properties, content) as stored.")
            Map<String, Object> held) {
    }

    @Inject
    CustomerRepository customers;
    @Inject
    Instance<PersonalData> holders;

    public Uni<Report> report(UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return Panache.withTransaction(() -> customers.findViewById(id).flatMap(profile -> {
            if (profile == null) {
                return CustomerErasures.absent(customers, id);
            }
            return PersonalData.inTurn(holders, holder -> holder.held(id))
                    .map(held -> new Report(id, now, profile, new java.util.LinkedHashMap<>(held)));
        }));
    }
}
