package org.spikeloop.snn.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every surrogate against finite differences of its smooth counterpart; the exact forward step. */
class SurrogateTest {

    /** Each kind with two parameter sets, and the points where its derivative has a kink. */
    static Stream<Arguments> surrogates() {
        return Stream.of(
                Arguments.of(new SurrogateSpec("sigmoid", 5.0, 1.0), new double[] {}),
                Arguments.of(new SurrogateSpec("sigmoid", 25.0, 0.3), new double[] {}),
                Arguments.of(new SurrogateSpec("fast_sigmoid", 10.0, 1.0), new double[] {0.0}),
                Arguments.of(new SurrogateSpec("fast_sigmoid", 2.0, 0.5), new double[] {0.0}),
                Arguments.of(new SurrogateSpec("arctan", 2.0, 1.0), new double[] {}),
                Arguments.of(new SurrogateSpec("arctan", 8.0, 0.7), new double[] {}),
                Arguments.of(new SurrogateSpec("triangle", 1.0, 0.3), new double[] {-1, 0, 1}),
                Arguments.of(new SurrogateSpec("triangle", 0.6, 1.0), new double[] {-0.6, 0, 0.6}),
                Arguments.of(new SurrogateSpec("straight_through", 1.0, 1.0), new double[] {}),
                Arguments.of(new SurrogateSpec("straight_through", 1.0, 0.25), new double[] {}),
                Arguments.of(new SurrogateSpec("boxcar", 1.0, 1.0), new double[] {-0.5, 0.5}),
                Arguments.of(new SurrogateSpec("boxcar", 0.4, 2.0), new double[] {-0.2, 0.2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surrogates")
    void shouldMatchCentralDifferencesOfItsSmoothFunction(SurrogateSpec spec, double[] kinks) {
        Surrogate s = spec.create();
        double h = 1e-6;
        int checked = 0;
        for (int i = -300; i <= 300; i++) {
            double u = i * 0.01 + 0.00123; // off the grid of kinks
            if (nearKink(u, kinks, 10 * h)) {
                continue;
            }
            double numeric = (s.smooth(u + h) - s.smooth(u - h)) / (2 * h);
            assertThat(s.derivative(u))
                    .as("%s derivative at u = %s", spec.name(), u)
                    .isCloseTo(numeric, within(1e-6 * Math.max(1.0, Math.abs(numeric))));
            checked++;
        }
        assertThat(checked).isGreaterThan(590);
    }

    private static boolean nearKink(double u, double[] kinks, double eps) {
        for (double k : kinks) {
            if (Math.abs(u - k) < eps) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surrogates")
    void shouldBeNonNegativeAndPeakAtThreshold(SurrogateSpec spec, double[] kinks) {
        Surrogate s = spec.create();
        double peak = s.derivative(0.0);
        assertThat(peak).isPositive();
        for (int i = -300; i <= 300; i++) {
            double u = i * 0.01;
            assertThat(s.derivative(u)).isBetween(0.0, peak);
        }
    }

    @Test
    void shouldUseTheEpropPseudoDerivativeByDefault() {
        Surrogate s = SurrogateSpec.EPROP_DEFAULT.create();
        // ψ = γ·max(0, 1 − |u|/θ)/θ with γ = 0.3, θ = 1 (Bellec et al. 2020, Methods).
        assertThat(s.derivative(0.0)).isCloseTo(0.3, within(1e-15));
        assertThat(s.derivative(0.25)).isCloseTo(0.3 * 0.75, within(1e-15));
        assertThat(s.derivative(-0.5)).isCloseTo(0.15, within(1e-15));
        assertThat(s.derivative(1.0)).isZero();
        assertThat(s.derivative(-2.0)).isZero();
    }

    @Test
    void shouldSpikeOnlyStrictlyAboveThreshold() {
        assertThat(Surrogate.spike(0.0)).isZero();
        assertThat(Surrogate.spike(-0.0)).isZero();
        assertThat(Surrogate.spike(Double.MIN_VALUE)).isEqualTo(1.0);
        assertThat(Surrogate.spike(-Double.MIN_VALUE)).isZero();
        assertThat(Surrogate.spike(1e300)).isEqualTo(1.0);
        assertThat(Surrogate.spike(Double.NaN)).isZero();
    }
}
