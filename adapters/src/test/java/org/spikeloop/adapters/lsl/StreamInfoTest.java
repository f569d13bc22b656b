package org.spikeloop.adapters.lsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamInfoTest {
    @Test
    void shouldRoundTripFieldsAndLabelsThroughXml() {
        StreamInfo info =
                StreamInfo.builder("Decoder <out>", "Control", 2, ChannelFormat.FLOAT32)
                        .nominalSrateHz(100)
                        .sourceId("spikeloop-1")
                        .channelLabels(List.of("vx", "v&y"))
                        .build();
        StreamInfo back = StreamInfo.fromXml(info.toXml());
        assertThat(back.name()).isEqualTo("Decoder <out>");
        assertThat(back.type()).isEqualTo("Control");
        assertThat(back.channelCount()).isEqualTo(2);
        assertThat(back.nominalSrateHz()).isEqualTo(100.0);
        assertThat(back.format()).isEqualTo(ChannelFormat.FLOAT32);
        assertThat(back.sourceId()).isEqualTo("spikeloop-1");
        assertThat(back.channelLabels()).containsExactly("vx", "v&y");
    }

    @Test
    void shouldRejectLabelCountThatDiffersFromChannelCount() {
        assertThatThrownBy(
                        () ->
                                StreamInfo.builder("x", "EEG", 3, ChannelFormat.FLOAT32)
                                        .channelLabels(List.of("a"))
                                        .build())
                .hasMessageContaining("channel labels");
    }

    @Test
    void shouldRejectNegativeOrInfiniteRate() {
        assertThatThrownBy(
                        () ->
                                StreamInfo.builder("x", "EEG", 1, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(-1)
                                        .build())
                .hasMessageContaining("nominal_srate");
        assertThatThrownBy(
                        () ->
                                StreamInfo.builder("x", "EEG", 1, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(Double.POSITIVE_INFINITY)
                                        .build())
                .hasMessageContaining("nominal_srate");
    }

    @Test
    void shouldNameTheFieldOfMalformedXml() {
        String xml =
                "<info><name>a</name><channel_count>two</channel_count>"
                        + "<nominal_srate>1</nominal_srate><channel_format>float32</channel_format></info>";
        assertThatThrownBy(() -> StreamInfo.fromXml(xml)).hasMessageContaining("channel_count");
        assertThatThrownBy(() -> StreamInfo.fromXml("<info><name>a</name>"))
                .hasMessageContaining("not well-formed");
        String badFormat = xml.replace("two", "2").replace("float32", "complex128");
        assertThatThrownBy(() -> StreamInfo.fromXml(badFormat))
                .hasMessageContaining("channel_format");
    }
}
