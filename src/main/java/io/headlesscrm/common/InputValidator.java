package io.headlesscrm.common;

import java.util.Comparator;
import java.util.List;

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
        List<FieldError> errors = violations(input);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    /** The violations as field errors, by field: for a caller that reports them with its own checks in one 422. */
    public List<FieldError> violations(Object input) {
        return validator.validate(input).stream().map(Problems::fieldError)
                .sorted(Comparator.comparing(FieldError::field)).toList();
    }
}
