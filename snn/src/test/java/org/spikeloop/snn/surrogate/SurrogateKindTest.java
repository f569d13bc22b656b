package org.spikeloop.snn.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SurrogateKindTest {
    @ParameterizedTest
    @EnumSource(SurrogateKind.class)
    void shouldFindEveryKindByItsConfigName(SurrogateKind kind) {
        assertThat(SurrogateKind.byName(kind.configName())).isEqualTo(kind);
        assertThat(SurrogateKind.byName(kind.configName().toUpperCase())).isEqualTo(kind);
    }

    @org.junit.jupiter.api.Test
    void shouldNameTheKnownSurrogatesWhenTheNameIsUnknown() {
        assertThatThrownBy(() -> SurrogateKind.byName("relu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'relu' is unknown")
                .hasMessageContaining(
                        "sigmoid, fast_sigmoid, arctan, triangle, straight_through, boxcar");
    }
}
