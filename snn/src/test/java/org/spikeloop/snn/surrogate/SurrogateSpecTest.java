package org.spikeloop.snn.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SurrogateSpecTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.spikeloop.snn.surrogate.SurrogateTest#surrogates")
    void shouldRoundTripThroughTheSurrogateItCreates(SurrogateSpec spec, double[] kinks) {
        assertThat(spec.create().spec()).isEqualTo(spec);
    }

    @Test
    void shouldNormaliseTheNameToLowerCase() {
        assertThat(new SurrogateSpec("Triangle", 1.0, 0.3).name()).isEqualTo("triangle");
    }

    @Test
    void shouldRejectAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> new SurrogateSpec("gaussian", 1.0, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate.name 'gaussian' is unknown")
                .hasMessageContaining("fast_sigmoid");
    }

    @Test
    void shouldRejectNonPositiveOrNonFiniteParameters() {
        assertThatThrownBy(() -> new SurrogateSpec("sigmoid", 0.0, 1.0))
                .hasMessageContaining("surrogate.scale");
        assertThatThrownBy(() -> new SurrogateSpec("sigmoid", Double.NaN, 1.0))
                .hasMessageContaining("surrogate.scale");
        assertThatThrownBy(() -> new SurrogateSpec("sigmoid", 1.0, -1.0))
                .hasMessageContaining("surrogate.gain");
        assertThatThrownBy(() -> new SurrogateSpec("sigmoid", 1.0, Double.POSITIVE_INFINITY))
                .hasMessageContaining("surrogate.gain");
        assertThatThrownBy(() -> new SurrogateSpec(null, 1.0, 1.0))
                .hasMessageContaining("surrogate.name is missing");
    }
}
