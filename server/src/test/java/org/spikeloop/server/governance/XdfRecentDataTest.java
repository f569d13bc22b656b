package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.LabelledSequence;
import org.spikeloop.server.jobs.RigRecordings;

class XdfRecentDataTest {
    @TempDir Path dir;

    @Test
    void shouldReturnTheLastSecondsOfTheNewestRecording() throws Exception {
        Path old = dir.resolve("old.xdf");
        Path recent = dir.resolve("new.xdf");
        RigRecordings.write(old, 2.0, 1000.0, 1, 0, true, RigRecordings.UNITS);
        RigRecordings.write(recent, 3.0, 2000.0, 2, 0, true, RigRecordings.UNITS);
        LabelledSequence s =
                new XdfRecentData(
                                () -> List.of(old, recent),
                                RigRecordings.SPIKES,
                                RigRecordings.KINEMATICS,
                                1.0,
                                RigRecordings.UNITS,
                                2)
                        .recent();
        assertThat(s.lastS()).isEqualTo(2002.999, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.firstS()).isGreaterThanOrEqualTo(2001.999 - 1e-9);
        assertThat(s.frames()).isBetween(1000, 1001);
    }

    @Test
    void shouldSayWhenThereIsNoRecordingYet() {
        assertThatThrownBy(() -> new XdfRecentData(List::of, "a", "b", 1.0, 1, 1).recent())
                .hasMessageContaining("no recording yet");
    }
}
