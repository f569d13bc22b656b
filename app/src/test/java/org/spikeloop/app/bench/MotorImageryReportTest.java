package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.spikeloop.proto.v1.BaselineScore;
import org.spikeloop.proto.v1.ClassificationScore;
import org.spikeloop.proto.v1.JobInfo;
import org.spikeloop.proto.v1.SessionStatistics;

class MotorImageryReportTest {
    private static final MotorImageryDecodeBench.Settings SETTINGS =
            new MotorImageryDecodeBench.Settings(
                    1, 40, 0.4, 8, Path.of("job.json"), Path.of("session.json"), null);

    /** 20 held-out trials: job confusion [[tl, fr],[fl, tr]], CSP+LDA 16/20 (9 left, 11 right). */
    private static MotorImageryDecodeBench.Outcome outcome(
            int tl, int fr, int fl, int tr, int epropCorrect, int[] epropDecided) {
        int correct = tl + tr;
        ClassificationScore job =
                ClassificationScore.newBuilder()
                        .addClasses("left")
                        .addClasses("right")
                        .setTrials(20)
                        .setCorrect(correct)
                        .setAccuracy(correct / 20.0)
                        .addConfusion(tl)
                        .addConfusion(fr)
                        .addConfusion(fl)
                        .addConfusion(tr)
                        .setMaxClassShare(Math.max(tl + fl, fr + tr) / 20.0)
                        .addBaselines(
                                BaselineScore.newBuilder()
                                        .setName("csp_lda")
                                        .setAccuracy(0.8)
                                        .addConfusion(8)
                                        .addConfusion(2)
                                        .addConfusion(1)
                                        .addConfusion(9))
                        .build();
        return new MotorImageryDecodeBench.Outcome(
                new HeldOutDecisions(20, epropCorrect, epropDecided, 0),
                "readout bias shifted by [0.1, -0.1] from 20 labelled trial windows",
                20,
                SessionStatistics.getDefaultInstance(),
                JobInfo.newBuilder().setId("job-1").setClassification(job).build(),
                new JsonObject(),
                10,
                5);
    }

    @Test
    void shouldMeetTheConditionsAtTheirBoundaries() {
        // job 0.80 = CSP+LDA; e-prop 0.70 = 0.80 − 0.10; largest share 16/20 = 0.80.
        MotorImageryDecodeBench.Outcome o = outcome(8, 2, 2, 8, 14, new int[] {16, 4});

        assertThat(MotorImageryReport.jobMeetsCspLda(o)).isTrue();
        assertThat(MotorImageryReport.epropMeetsCspLda(o)).isTrue();
        assertThat(MotorImageryReport.maxClassShare(o)).isEqualTo(0.8);
        assertThat(MotorImageryReport.ok(o)).isTrue();
    }

    @Test
    void shouldFailEachConditionJustPastItsBoundary() {
        assertThat(MotorImageryReport.jobMeetsCspLda(outcome(8, 2, 3, 7, 16, new int[] {10, 10})))
                .isFalse();
        assertThat(MotorImageryReport.epropMeetsCspLda(outcome(8, 2, 2, 8, 13, new int[] {10, 10})))
                .isFalse();
        MotorImageryDecodeBench.Outcome collapsed = outcome(8, 2, 2, 8, 16, new int[] {17, 3});
        assertThat(MotorImageryReport.shareMet(collapsed)).isFalse();
        assertThat(MotorImageryReport.ok(collapsed)).isFalse();
    }

    @Test
    void shouldPrintTheTopLevelFiguresClassCountsAndTheVerdict() {
        MotorImageryDecodeBench.Outcome o = outcome(9, 1, 2, 8, 15, new int[] {11, 9});
        JsonObject root = new JsonObject();

        MotorImageryReport.addJson(root, o, SETTINGS, "job.json", "session.json");

        assertThat(root.get("mi_csplda_acc").getAsDouble()).isEqualTo(0.8);
        assertThat(root.get("mi_job_acc").getAsDouble()).isEqualTo(0.85);
        assertThat(root.get("mi_eprop_acc").getAsDouble()).isEqualTo(0.75);
        assertThat(root.get("mi_max_class_share").getAsDouble()).isEqualTo(0.55);
        assertThat(root.get("mi_ok").getAsBoolean()).isTrue();
        assertThat(root.get("mi_job_held_out_trials").getAsInt()).isEqualTo(20);
        assertThat(root.get("mi_eprop_held_out_trials").getAsInt()).isEqualTo(20);
        JsonObject counts = root.getAsJsonObject("mi_class_counts");
        assertThat(counts.getAsJsonObject("job").get("left").getAsInt()).isEqualTo(11);
        assertThat(counts.getAsJsonObject("job").get("right").getAsInt()).isEqualTo(9);
        assertThat(counts.getAsJsonObject("eprop").get("left").getAsInt()).isEqualTo(11);
        assertThat(counts.getAsJsonObject("csp_lda").get("left").getAsInt()).isEqualTo(9);
        assertThat(counts.getAsJsonObject("csp_lda").get("right").getAsInt()).isEqualTo(11);

        String md = MotorImageryReport.markdown(o, SETTINGS, "job.json", "session.json");
        assertThat(md)
                .contains("| CSP+LDA (the job's baseline) | 0.800 | 20 | 9 / 11 |")
                .contains("| job (SG-BPTT SNN) | 0.850 | 20 | 11 / 9 |")
                .contains("| e-prop session (fresh network) | 0.750 | 20 | 11 / 9 |")
                .contains("ERD 40 %")
                .contains("**all met**");
    }

    @Test
    void shouldReportASkippedCspLdaAsMissingAndTheConditionsUnmet() {
        MotorImageryDecodeBench.Outcome base = outcome(9, 1, 2, 8, 15, new int[] {11, 9});
        ClassificationScore noCsp =
                base.jobScore().toBuilder()
                        .setBaselines(
                                0, BaselineScore.newBuilder().setName("csp_lda").setSkipped(true))
                        .build();
        MotorImageryDecodeBench.Outcome o =
                new MotorImageryDecodeBench.Outcome(
                        base.eprop(),
                        base.calibration(),
                        20,
                        base.session(),
                        base.job().toBuilder().setClassification(noCsp).build(),
                        base.report(),
                        1,
                        1);
        JsonObject root = new JsonObject();

        MotorImageryReport.addJson(root, o, SETTINGS, "job.json", "session.json");

        assertThat(root.get("mi_csplda_acc").isJsonNull()).isTrue();
        assertThat(root.getAsJsonObject("mi_class_counts").get("csp_lda").isJsonNull()).isTrue();
        assertThat(root.get("mi_ok").getAsBoolean()).isFalse();
    }
}
