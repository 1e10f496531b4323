package io.headlesscrm.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The confidence intervals against published values (Newcombe 1998, tables I and II). */
class RatesTest {

    @Test
    void wilsonIntervalsMatchTheReferenceValues() {
        Rates.Rate half = Rates.of(5, 10);
        assertThat(half.lower()).isEqualTo(0.2366, offset(1e-4));
        assertThat(half.upper()).isEqualTo(0.7634, offset(1e-4));
        Rates.Rate none = Rates.of(0, 10);
        assertThat(none.lower()).isZero();
        assertThat(none.upper()).isEqualTo(0.2775, offset(1e-4));
        assertThat(Rates.of(0, 0).upper()).isEqualTo(1);
    }

    @Test
    void newcombeDifferenceIntervalMatchesTheReferenceValues() {
        // 56/70 against 48/80: difference 0.2, interval 0.0524 to 0.3339 (Newcombe's method 10)
        Rates.Uplift u = Rates.uplift(Rates.of(56, 70), Rates.of(48, 80));
        assertThat(u.absolute()).isEqualTo(0.2, offset(1e-9));
        assertThat(u.lower()).isEqualTo(0.0524, offset(1e-4));
        assertThat(u.upper()).isEqualTo(0.3339, offset(1e-4));
        assertThat(u.relative()).isEqualTo(0.2 / 0.6, offset(1e-9));
    }
}
