package io.headlesscrm.campaign;

import org.eclipse.microprofile.graphql.Type;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Rates with 95 % confidence intervals: Wilson score intervals for a proportion (sound for small counts and rates
 * near 0, unlike the normal approximation), and Newcombe's hybrid score interval for the difference of two
 * (a variant against its holdout).
 */
public final class Rates {

    private static final double Z = 1.959963984540054;

    @Type("Rate")
    @Schema(name = "Rate", description = "A proportion and its 95 % confidence interval (Wilson score); 0 of 0 is 0 "
            + "with the interval [0, 1]")
    public record Rate(@Schema(required = true) long count, @Schema(required = true) long of,
            @Schema(required = true) double value, @Schema(required = true) double lower,
            @Schema(required = true) double upper) {
    }

    @Type("Uplift")
    @Schema(name = "Uplift", description = "A rate minus the holdout's, with its 95 % confidence interval "
            + "(Newcombe), and relative to the holdout's rate (null when that is 0)")
    public record Uplift(@Schema(required = true) double absolute, @Schema(required = true) double lower,
            @Schema(required = true) double upper, Double relative) {
    }

    private Rates() {
    }

    static Rate of(long count, long of) {
        if (of <= 0) {
            return new Rate(count, of, 0, 0, 1);
        }
        double n = of;
        double p = Math.min(1, (double) count / n);
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new Rate(count, of, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    static Uplift uplift(Rate treated, Rate control) {
        double d = treated.value() - control.value();
        double lower = d - Math.sqrt(square(treated.value() - treated.lower()) + square(control.upper() - control.value()));
        double upper = d + Math.sqrt(square(treated.upper() - treated.value()) + square(control.value() - control.lower()));
        Double relative = control.value() == 0 ? null : d / control.value();
        return new Uplift(d, Math.max(-1, lower), Math.min(1, upper), relative);
    }

    private static double square(double x) {
        return x * x;
    }
}
