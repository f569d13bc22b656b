package org.spikeloop.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.snn.checkpoint.Checkpoint;

class ReferenceCheckpointTest {
    private static final int UNITS = 96;
    private static final int NEURONS = 16;
    private static final double CALIBRATION_S = 2;

    @TempDir Path dir;

    @Test
    void shouldCalibrateOnceThenReuseTheStoredCheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);

        ReferenceCheckpoint.Result first =
                ReferenceCheckpoint.loadOrCalibrate(store, UNITS, NEURONS, 3, CALIBRATION_S);
        ReferenceCheckpoint.Result second =
                ReferenceCheckpoint.loadOrCalibrate(store, UNITS, NEURONS, 3, CALIBRATION_S);

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(second.contentId()).isEqualTo(first.contentId());
        Checkpoint stored = Checkpoint.read(dir.resolve(first.name()));
        assertThat(stored.spec().inputs()).isEqualTo(UNITS);
        assertThat(stored.spec().outputs()).isEqualTo(2);
        assertThat(stored.provenance().source()).contains("seed=3");
    }

    @Test
    void shouldNameTheCheckpointAfterEverythingTheCalibrationDependsOn() {
        assertThat(ReferenceCheckpoint.name(96, 256, 1, 20))
                .isEqualTo("demo-reference-u96-h256-seed1-cal20.ckpt");
        assertThat(ReferenceCheckpoint.name(96, 256, 2, 20))
                .isNotEqualTo(ReferenceCheckpoint.name(96, 256, 1, 20));
    }

    @Test
    void shouldReplaceACorruptFileUnderItsNameWithAFreshCalibration() throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        String name = ReferenceCheckpoint.name(UNITS, NEURONS, 4, CALIBRATION_S);
        Files.writeString(dir.resolve(name), "not a checkpoint");

        ReferenceCheckpoint.Result r =
                ReferenceCheckpoint.loadOrCalibrate(store, UNITS, NEURONS, 4, CALIBRATION_S);

        assertThat(r.reused()).isFalse();
        assertThat(store.read("checkpoint", name, null).contentId()).isEqualTo(r.contentId());
    }
}
