package org.spikeloop.server.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionRing;

class TrialRecordingAgentTest {
    @TempDir Path dir;

    private static StreamInfo markerSource() {
        return StreamInfo.builder("cues", "Markers", 1, ChannelFormat.STRING)
                .nominalSrateHz(0)
                .sourceId("cues-src")
                .build();
    }

    private static XdfStream stream(XdfRecording rec, String name) {
        return rec.streams().stream()
                .filter(s -> s.info().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldRecordEachWindowsStartAndEndAndTheDecisionsOfDecidedOnes() throws Exception {
        Path file = dir.resolve("t.xdf");
        SessionRecording recording =
                SessionRecording.open(
                        "s-1",
                        file,
                        4,
                        250,
                        2,
                        50,
                        "",
                        true,
                        markerSource(),
                        List.of("left", "right"),
                        XdfRecorder.Config.defaults());
        DecisionRing ring = new DecisionRing(2, 8);
        TrialRecordingAgent agent =
                new TrialRecordingAgent("s-1", ring, recording, List.of("left", "right"));
        ring.publish(0, "769", 0, 10.0, 14.0, 200, new double[] {0.7, 0.3}, 0, 1L, true);
        ring.publish(1, "770", 1, 20.0, 21.5, 0, new double[2], Decision.NONE, 2L, false);
        agent.doWork();
        agent.onClose();
        recording.close();
        XdfRecording rec = XdfReader.read(file);
        XdfStream trials = stream(rec, "trials");
        assertThat((String[]) trials.samples().toArray())
                .containsExactly("start left", "end left", "start right", "end right");
        assertThat(trials.timestamps()).containsExactly(10.0, 14.0, 20.0, 21.5);
        assertThat(trials.headerXml()).contains("<class>left</class>", "<class>right</class>");
        XdfStream decisions = stream(rec, "decisions");
        String[] texts = (String[]) decisions.samples().toArray();
        assertThat(texts).hasSize(1); // the second window held no step: no decision
        assertThat(texts[0]).startsWith("{\"trial\":0,\"decision\":\"left\"");
        assertThat(decisions.timestamps()).containsExactly(14.0);
        assertThat(stream(rec, "cues").info().sourceId()).isEqualTo("cues-src");
        assertThat(rec.streams()).extracting(s -> s.info().name()).doesNotContain("labels");
        assertThat(agent.windowsLost()).isZero();
    }

    @Test
    void shouldRefuseARecordingWithoutTrialStreams() {
        SessionRecording plain =
                SessionRecording.open(
                        "s-1",
                        dir.resolve("p.xdf"),
                        4,
                        250,
                        2,
                        true,
                        XdfRecorder.Config.defaults());
        try {
            assertThatThrownBy(
                            () ->
                                    new TrialRecordingAgent(
                                            "s-1",
                                            new DecisionRing(2, 4),
                                            plain,
                                            List.of("a", "b")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no trials stream");
        } finally {
            plain.close();
        }
    }
}
