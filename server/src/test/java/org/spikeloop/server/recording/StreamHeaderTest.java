package org.spikeloop.server.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;

class StreamHeaderTest {
    /** A rig's full header as liblsl gives it: identity fields and a desc with labels and units. */
    private static final String RIG =
            "<?xml version=\"1.0\"?>\n<info>\n\t<name>rig-eeg</name>\n\t<type>EEG</type>\n"
                    + "\t<channel_count>2</channel_count>\n\t<nominal_srate>250</nominal_srate>\n"
                    + "\t<channel_format>double64</channel_format>\n"
                    + "\t<source_id>amp-42</source_id>\n\t<version>1.1000000000000001</version>\n"
                    + "\t<created_at>1234.5</created_at>\n\t<uid>u-1</uid>\n"
                    + "\t<session_id>default</session_id>\n\t<hostname>rig-pc</hostname>\n"
                    + "\t<desc>\n\t\t<channels>\n"
                    + "\t\t\t<channel><label>C3</label><unit>microvolts</unit></channel>\n"
                    + "\t\t\t<channel><label>C4</label><unit>microvolts</unit></channel>\n"
                    + "\t\t</channels>\n\t\t<manufacturer>ACME</manufacturer>\n\t</desc>\n</info>\n";

    @Test
    void shouldKeepTheSourcesWholeHeaderRecordedAsFloat32() {
        StreamInfo info =
                StreamHeader.copyOf(StreamInfo.fromXml(RIG)).session("s-1", "samples").info();

        assertThat(info.name()).isEqualTo("rig-eeg");
        assertThat(info.type()).isEqualTo("EEG");
        assertThat(info.sourceId()).isEqualTo("amp-42");
        assertThat(info.hostname()).isEqualTo("rig-pc");
        assertThat(info.format()).isEqualTo(ChannelFormat.FLOAT32);
        assertThat(info.channelLabels()).containsExactly("C3", "C4");
        assertThat(info.xml())
                .contains("<created_at>1234.5</created_at>")
                .contains("<unit>microvolts</unit>")
                .contains("<manufacturer>ACME</manufacturer>");
        assertThat(StreamHeader.roleOf(info.xml())).isEqualTo("samples");
    }

    @Test
    void shouldGiveALocalStreamThisHostTheClockAndLabelledChannels() {
        StreamInfo info =
                StreamHeader.local("outputs", "Decoded", 2, 100.0, "s-1.outputs")
                        .channels(List.of("vx", "vy"), "m/s", "decoded")
                        .session("s-1", "outputs")
                        .info();

        assertThat(info.hostname()).isNotBlank();
        assertThat(info.uid()).isNotBlank();
        assertThat(info.channelLabels()).containsExactly("vx", "vy");
        assertThat(info.xml()).contains("<unit>m/s</unit>").doesNotContain("<created_at>0<");
        assertThat(StreamHeader.roleOf(info.xml())).isEqualTo("outputs");
    }

    @Test
    void shouldFindNoRoleInAStreamAnotherToolRecorded() {
        assertThat(StreamHeader.roleOf(RIG)).isEmpty();
        assertThat(StreamHeader.roleOf(null)).isEmpty();
    }

    @Test
    void shouldGiveAMarkerSessionsStreamsCompleteHeadersKeepingTheMarkersFormat() {
        StreamInfo cues =
                StreamInfo.fromXml(
                        RIG.replace("rig-eeg", "cues")
                                .replace("<type>EEG", "<type>Markers")
                                .replace("<channel_count>2", "<channel_count>1")
                                .replace("double64", "int32"));

        SessionRecording.Headers h =
                SessionRecording.markerHeaders(
                        "s-1",
                        StreamHeader.local("samples", "Samples", 4, 250, "s-1.samples"),
                        cues,
                        List.of("left", "right"),
                        "",
                        50);

        assertThat(h.labels()).isNull();
        // the markers as they arrived: the source's identity and format, plus the session's role
        assertThat(h.markers().name()).isEqualTo("cues");
        assertThat(h.markers().format()).isEqualTo(ChannelFormat.INT32);
        assertThat(h.markers().hostname()).isEqualTo("rig-pc");
        assertThat(StreamHeader.roleOf(h.markers().xml())).isEqualTo("markers");
        assertThat(h.outputs().channelLabels()).containsExactly("left", "right");
        for (StreamInfo own : List.of(h.trials(), h.decisions())) {
            assertThat(own.format()).isEqualTo(ChannelFormat.STRING);
            assertThat(own.hostname()).isNotBlank();
            assertThat(own.uid()).isNotBlank();
            assertThat(own.xml())
                    .contains("<classes><class>left</class><class>right</class></classes>")
                    .doesNotContain("<created_at>0<");
        }
        assertThat(StreamHeader.roleOf(h.trials().xml())).isEqualTo("trials");
        assertThat(StreamHeader.roleOf(h.decisions().xml())).isEqualTo("decisions");
    }
}
