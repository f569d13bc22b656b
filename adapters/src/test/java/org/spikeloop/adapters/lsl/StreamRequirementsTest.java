package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamRequirementsTest {
    private static StreamInfo stream(int channels, ChannelFormat f, double rate) {
        return StreamInfo.builder("rig", "EEG", channels, f).nominalSrateHz(rate).build();
    }

    @Test
    void shouldRejectWrongChannelCountNamingBothCounts() {
        assertThatThrownBy(
                        () ->
                                new StreamRequirements(96, true, Double.NaN)
                                        .check(stream(64, ChannelFormat.FLOAT32, 1000)))
                .hasMessageContaining("channel_count is 64")
                .hasMessageContaining("expects 96");
    }

    @Test
    void shouldRejectStringStreamWhereNumbersAreExpected() {
        assertThatThrownBy(
                        () ->
                                new StreamRequirements(1, true, Double.NaN)
                                        .check(stream(1, ChannelFormat.STRING, 0)))
                .hasMessageContaining("channel_format is string");
    }

    @Test
    void shouldRejectWrongRateWhenOneIsRequired() {
        assertThatThrownBy(
                        () ->
                                new StreamRequirements(2, true, 1000)
                                        .check(stream(2, ChannelFormat.INT16, 500)))
                .hasMessageContaining("nominal_srate");
    }

    @Test
    void shouldAcceptMatchingStream() {
        assertThatCode(
                        () ->
                                new StreamRequirements(2, true, 1000)
                                        .check(stream(2, ChannelFormat.DOUBLE64, 1000)))
                .doesNotThrowAnyException();
    }
}
