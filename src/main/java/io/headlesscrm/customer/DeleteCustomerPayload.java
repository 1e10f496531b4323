package io.headlesscrm.customer;

import java.util.List;

import org.eclipse.microprofile.graphql.Id;

import io.headlesscrm.common.error.UserError;

public record DeleteCustomerPayload(@Id String deletedId, List<UserError> userErrors) {

    static DeleteCustomerPayload failed(List<UserError> errors) {
        return new DeleteCustomerPayload(null, errors);
    }
}
