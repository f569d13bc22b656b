package org.spikeloop.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.ClassificationOutcome;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.proto.v1.BaselineScore;
import org.spikeloop.proto.v1.ClassificationScore;
import org.spikeloop.server.jobs.JobResult;
import org.spikeloop.server.jobs.MotorImageryRecordings;
import org.spikeloop.server.jobs.TrainingJob;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.registry.CheckpointRegistry;

/** JobService's translation of a job's results and progress into JobInfo / JobProgress. */
class JobGrpcServiceTest {
    @TempDir Path dir;

    @Test
    void shouldGiveAClassificationJobsAccuracyConfusionMatrixAndBaselines() throws Exception {
        Path rec = dir.resolve("mi.xdf");
        MotorImageryRecordings.write(
                rec,
                MotorImageryRecordings.config(5).build(),
                24,
                100.0,
                MotorImageryRecordings.Markers.STRINGS,
                null);
        String config =
                Files.readString(Path.of("../examples/jobs/motor-imagery.json"))
                        .replace("\"epochs\": 30", "\"epochs\": 2");
        JobResult r =
                new TrainingJob(
                                "j",
                                new TrainingJobRequest(
                                        "",
                                        List.of(rec),
                                        MotorImageryRecordings.EEG,
                                        MotorImageryRecordings.MARKERS,
                                        Double.NaN,
                                        Double.NaN,
                                        config,
                                        null,
                                        Double.NaN,
                                        0,
                                        2,
                                        "alice"),
                                CheckpointRegistry.open(dir.resolve("reg")),
                                1)
                        .run(p -> {}, () -> false);
        ClassificationOutcome o = r.classification();
        ClassificationScore s = JobGrpcService.toProto(o);
        assertThat(s.getClassesList()).containsExactly("left", "right");
        assertThat(s.getTrials()).isEqualTo(12);
        assertThat(s.getCorrect()).isEqualTo(o.heldOut().correct());
        assertThat(s.getAccuracy()).isEqualTo(o.heldOut().accuracy());
        assertThat(s.getConfusionList())
                .containsExactly(
                        o.heldOut().confusion()[0][0],
                        o.heldOut().confusion()[0][1],
                        o.heldOut().confusion()[1][0],
                        o.heldOut().confusion()[1][1]);
        assertThat(s.getMaxClassShare()).isEqualTo(o.heldOut().maxClassShare());
        assertThat(s.getBaselinesList())
                .extracting(BaselineScore::getName)
                .containsExactly("csp_lda", "bandpower_lda");
        BaselineScore csp = s.getBaselines(0);
        assertThat(csp.getSkipped()).isFalse();
        assertThat(csp.getAccuracy()).isEqualTo(o.baselines().get(0).heldOut().accuracy());
        assertThat(csp.getConfusionCount()).isEqualTo(4);
        assertThat(csp.getSettings()).contains("CSP pairs");
    }

    @Test
    void shouldCarryTheValidationAccuracyOfAClassificationEpochAndZeroOtherwise() {
        var c = JobGrpcService.toProto(new JobProgress(2, 9, 0.4, 0.5, Double.NaN, 1, 3, 4, 0.8));
        assertThat(c.getValidationAccuracy()).isEqualTo(0.8);
        assertThat(c.getValidationR2()).isZero();
        var r = JobGrpcService.toProto(new JobProgress(2, 9, 0.4, 0.5, 0.7, 1, 3, 4));
        assertThat(r.getValidationAccuracy()).isZero();
        assertThat(r.getValidationR2()).isEqualTo(0.7);
    }
}
