package io.headlesscrm.customer;

import java.util.List;

import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;

import io.headlesscrm.common.error.UserError;

public record DeleteCustomerPayload(@Id String deletedId, @NonNull List<@NonNull UserError> userErrors) {

    static DeleteCustomerPayload failed(List<UserError> errors) {
        return new DeleteCustomerPayload(null, errors);
    }
}
