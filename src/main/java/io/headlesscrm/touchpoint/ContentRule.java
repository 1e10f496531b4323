package io.headlesscrm.touchpoint;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * {@link TouchpointContent#problems()} as a Bean Validation constraint on the type, so every input that holds content
 * ({@code @Valid}: a touchpoint, a campaign's variant, a lead rule's reach) is checked by the same rule when it enters,
 * and none can forget it (campaign variants once did, and made touchpoints with empty content).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ContentRule.Check.class)
public @interface ContentRule {

    String message() default "needs either body or templateId, not both";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** One violation per problem, on the content itself or on its member the problem names. */
    class Check implements ConstraintValidator<ContentRule, TouchpointContent> {

        @Override
        public boolean isValid(TouchpointContent content, ConstraintValidatorContext context) {
            if (content == null) {
                return true;
            }
            var problems = content.problems();
            if (problems.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (var p : problems) {
                var violation = context.buildConstraintViolationWithTemplate(p.message());
                if (p.field() == null) {
                    violation.addConstraintViolation();
                } else {
                    violation.addPropertyNode(p.field()).addConstraintViolation();
                }
            }
            return false;
        }
    }
}
