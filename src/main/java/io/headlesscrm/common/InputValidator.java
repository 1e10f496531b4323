package io.headlesscrm.common;

import java.util.Comparator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;

/** Bean Validation of an API input record; any violation is a 422 listing every offending field by name. */
@ApplicationScoped
public class InputValidator {

    @Inject
    Validator validator;

    public void validate(Object input) {
        var violations = validator.validate(input);
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations.stream()
                    .map(Problems::fieldError).sorted(Comparator.comparing(FieldError::field)).toList());
        }
    }
}
