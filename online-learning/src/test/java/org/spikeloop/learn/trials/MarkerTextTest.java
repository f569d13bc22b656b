package org.spikeloop.learn.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkerTextTest {
    @Test
    void shouldRenderIntegralNumbersWithoutADecimalPoint() {
        assertThat(MarkerText.of(769.0)).isEqualTo("769");
        assertThat(MarkerText.of(-1.0)).isEqualTo("-1");
        assertThat(MarkerText.of(-0.0)).isEqualTo("0");
        assertThat(MarkerText.of(32766.0f)).isEqualTo("32766");
        assertThat(MarkerText.of(1e15)).isEqualTo("1.0E15"); // beyond the integer limit
    }

    @Test
    void shouldRenderOtherNumbersByTheirShortestText() {
        assertThat(MarkerText.of(1.5)).isEqualTo("1.5");
        assertThat(MarkerText.of(0.1f)).isEqualTo("0.1"); // not 0.10000000149011612
        assertThat(MarkerText.of((double) 0.1f)).isEqualTo("0.10000000149011612");
    }

    @Test
    void shouldRefuseNonFiniteNumbers() {
        assertThatThrownBy(() -> MarkerText.of(Double.NaN))
                .hasMessage("a numeric marker must be finite, got NaN");
        assertThatThrownBy(() -> MarkerText.of(Float.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
    }

    @ParameterizedTest
    @CsvSource({
        "769, 769",
        "769.0, 769",
        "0769, 769",
        "7.69e2, 769",
        "+769, 769",
        "1.50, 1.5",
        ".5, 0.5",
        "left_hand, left_hand",
        "NaN, NaN",
        "Infinity, Infinity",
        "0x10, 0x10",
        "769d, 769d",
        "1e999, 1e999"
    })
    void shouldMatchDecimalNumbersByValueAndOtherTextExactly(String text, String key) {
        assertThat(MarkerText.key(text)).isEqualTo(key);
    }

    @Test
    void shouldKeepWhiteSpaceAndCase() {
        assertThat(MarkerText.key(" 769")).isEqualTo(" 769");
        assertThat(MarkerText.key("Left")).isEqualTo("Left");
        assertThat(MarkerText.key("")).isEqualTo("");
    }
}
