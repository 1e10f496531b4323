package io.headlesscrm.customer;

import java.util.List;

import org.eclipse.microprofile.graphql.NonNull;

import io.headlesscrm.common.error.UserError;

/** Result of createCustomer and updateCustomer: the customer, or why not. */
public record CustomerPayload(CustomerView customer, @NonNull List<@NonNull UserError> userErrors) {

    static CustomerPayload ok(CustomerView customer) {
        return new CustomerPayload(customer, List.of());
    }

    static CustomerPayload failed(List<UserError> errors) {
        return new CustomerPayload(null, errors);
    }
}
