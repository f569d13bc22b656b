package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.EegMontage;
import org.spikeloop.adapters.sim.MotorImageryEeg;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.BandPowerStage;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.FrequencyBand;
import org.spikeloop.proto.v1.FrontEndSpec;
import org.spikeloop.proto.v1.FrontEndStage;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningMode;
import org.spikeloop.proto.v1.LearningServiceGrpc;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.NeuronModelKind;
import org.spikeloop.proto.v1.NormaliseStage;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SetLearningModeRequest;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;

/**
 * Issue 21: online e-prop from a fresh network, calibrated on the first 20 trials of a cue-based
 * motor-imagery session, must not collapse to one class. Simulated motor-imagery EEG (4 channels at
 * 250 Hz over C3, Cz, C4 and CP3, two classes, the Graz timing of {@link MotorImageryEeg}) and its
 * cue markers go out on real LSL outlets; a session reads them through the EEG band-power
 * front-end, learns from the cues with e-prop (softmax cross-entropy, the server's default learning
 * rate and update interval) over the first 20 trials, then learning is switched off (which
 * calibrates the class bias) and the last 20 trials are decoded without learning. The decisions are
 * read from {@code WatchDecisions}. Without the calibration, seeds 3 and 4 put every held-out trial
 * in one class (0/20 and 20/0, measured when this test was written), as issue 21's session did.
 *
 * <p>The samples are stamped at the simulator's 250 Hz but pushed about 50 times faster than real
 * time, all stamps in the past: a session places trial windows by the samples' time stamps, so what
 * it decodes does not depend on the pace.
 */
class MotorImageryEpropSessionTest {
    private static final int TRIALS = 40;
    private static final int CALIBRATION = 20;
    private static final double SPEED = 50;

    @TempDir Path dir;

    /** One seed's held-out score. */
    private record Score(long seed, int correct, int[] perClass, LearningState calibration) {
        double accuracy() {
            return correct / (double) (TRIALS - CALIBRATION);
        }

        double maxShare() {
            return Math.max(perClass[0], perClass[1]) / (double) (TRIALS - CALIBRATION);
        }
    }

    /** The simulated recording: samples row-major, markers at their sample index. */
    private record Recording(
            float[] samples, int channels, List<int[]> markerAt, List<String> cues) {}

    private static Recording simulate(EegConfig config) {
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        int channels = eeg.channels();
        float[] frame = new float[channels];
        List<Float> values = new ArrayList<>();
        List<int[]> at = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int cues = 0;
        int end = Integer.MAX_VALUE;
        for (int i = 0; i < end; i++) {
            String m = eeg.step(frame);
            if (m != null) {
                at.add(new int[] {i});
                texts.add(m);
                if (eeg.currentClass() >= 0 && ++cues == TRIALS) {
                    end = i + (int) (6 * config.sampleRateHz()); // the last trial's window and more
                }
            }
            for (float v : frame) {
                values.add(v);
            }
        }
        float[] samples = new float[values.size()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = values.get(i);
        }
        return new Recording(samples, channels, at, texts);
    }

    private static SessionSpec spec(String eeg, String markers, int channels, long seed) {
        return SessionSpec.newBuilder()
                .setName("motor imagery, seed " + seed)
                .setChannelCount(channels)
                .setSampleRateHz(250)
                .setDecoder(
                        DecoderSpec.newBuilder()
                                .setArchitecture(
                                        Architecture.newBuilder()
                                                .setHidden(64)
                                                .setOutputs(2)
                                                .setNeuron(NeuronModelKind.NEURON_MODEL_ALIF)
                                                .setSeed(seed)))
                .setLearning(
                        LearningSettings.newBuilder()
                                .setEnabled(true)) // the server's default rate and interval
                .setSource(
                        SourceSpec.newBuilder()
                                .setKind(SourceKind.SOURCE_LSL)
                                .setLslStreamName(eeg))
                .setStallAfterS(30)
                .setFrontEnd(
                        FrontEndSpec.newBuilder()
                                .addStages(
                                        FrontEndStage.newBuilder()
                                                .setBandPower(
                                                        BandPowerStage.newBuilder()
                                                                .addBands(band(8, 12))
                                                                .addBands(band(13, 30))
                                                                .setWindowS(0.5)
                                                                .setOutputRateHz(50)
                                                                .setLog(true)))
                                .addStages(
                                        FrontEndStage.newBuilder()
                                                .setNormalise(
                                                        NormaliseStage.newBuilder()
                                                                .setTimeConstantS(30))))
                .setLslLabels(
                        LslLabelSpec.newBuilder()
                                .setName(markers)
                                .setKind(LabelKind.LABEL_KIND_MARKERS)
                                .putCueClasses("left_hand", 0)
                                .putCueClasses("right_hand", 1)
                                .addClassNames("left")
                                .addClassNames("right")
                                .setStartOffsetS(0.5)
                                .setTrialS(3.5)
                                .addEndCues(EegConfig.TRIAL_END)
                                .addIgnoredMarkers(EegConfig.TRIAL_START))
                .build();
    }

    private static FrequencyBand band(double low, double high) {
        return FrequencyBand.newBuilder().setLowHz(low).setHighHz(high).build();
    }

    /** Pushes samples [from, to) and their markers, about {@link #SPEED} times real time. */
    private static void push(Recording r, Outlet eeg, Outlet markers, double t0S, int from, int to)
            throws InterruptedException {
        int chunk = 250; // 1 s of EEG per push
        double[] stamps = new double[chunk];
        float[] data = new float[chunk * r.channels()];
        int next = 0;
        while (next < r.markerAt().size() && r.markerAt().get(next)[0] < from) {
            next++;
        }
        for (int s = from; s < to; s += chunk) {
            int n = Math.min(chunk, to - s);
            while (next < r.markerAt().size() && r.markerAt().get(next)[0] < s + n) {
                int at = r.markerAt().get(next)[0];
                markers.pushChunk(
                        new String[] {r.cues().get(next)}, new double[] {t0S + at / 250.0}, 1);
                next++;
            }
            for (int i = 0; i < n; i++) {
                stamps[i] = t0S + (s + i) / 250.0;
            }
            System.arraycopy(r.samples(), s * r.channels(), data, 0, n * r.channels());
            eeg.pushChunk(data, stamps, n);
            Thread.sleep((long) (1000.0 * n / 250.0 / SPEED));
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 120_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private Score run(InProcessFixture f, long seed) throws Exception {
        EegConfig config =
                EegConfig.builder()
                        .montage(EegMontage.of("C3", "Cz", "C4", "CP3"))
                        .seed(seed)
                        .build();
        Recording r = simulate(config);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StreamInfo eegInfo =
                StreamInfo.builder("mi-eeg-" + tag, "EEG", r.channels(), ChannelFormat.FLOAT32)
                        .nominalSrateHz(250)
                        .sourceId("mi-eeg-" + tag)
                        .build();
        StreamInfo markerInfo =
                StreamInfo.builder("mi-markers-" + tag, "Markers", 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId("mi-markers-" + tag)
                        .build();
        var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
        var learning = LearningServiceGrpc.newBlockingStub(f.channel);
        List<TrialDecision> decisions = new CopyOnWriteArrayList<>();
        try (Outlet eeg = new Outlet(eegInfo);
                Outlet markers = new Outlet(markerInfo)) {
            Session s =
                    sessions.createSession(
                            CreateSessionRequest.newBuilder()
                                    .setSpec(
                                            spec(
                                                    eegInfo.name(),
                                                    markerInfo.name(),
                                                    r.channels(),
                                                    seed))
                                    .build());
            DecodeServiceGrpc.newStub(f.channel)
                    .watchDecisions(
                            WatchDecisionsRequest.newBuilder().setSessionId(s.getId()).build(),
                            new StreamObserver<>() {
                                @Override
                                public void onNext(TrialDecision d) {
                                    decisions.add(d);
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            });
            await("both inlets", () -> eeg.haveConsumers() && markers.haveConsumers());
            SessionId id = SessionId.newBuilder().setSessionId(s.getId()).build();
            int samples = r.samples().length / r.channels();
            double t0 = Lsl.localClockS() - samples / 250.0 - 60; // every stamp in the past
            int split = r.markerAt().get(cueIndex(r, CALIBRATION))[0] - 500; // 2 s before cue 21
            push(r, eeg, markers, t0, 0, split);
            await(
                    "the calibration trials decided",
                    () -> sessions.getSession(id).getTrials().getDecisions() >= CALIBRATION);
            LearningState paused =
                    learning.setLearningMode(
                            SetLearningModeRequest.newBuilder()
                                    .setSessionId(s.getId())
                                    .setMode(LearningMode.LEARNING_MODE_PAUSED)
                                    .build());
            push(r, eeg, markers, t0, split, samples);
            await(
                    "every trial decided",
                    () -> sessions.getSession(id).getTrials().getDecisions() >= TRIALS);
            await("every decision watched", () -> decisions.size() >= TRIALS);
            sessions.stopSession(id);
            int correct = 0;
            int[] perClass = new int[2];
            for (TrialDecision d : decisions) {
                if (d.getTrial() < CALIBRATION) {
                    assertThat(d.getLearned()).as("calibration trial %d", d.getTrial()).isTrue();
                    continue;
                }
                assertThat(d.getLearned()).as("held-out trial %d", d.getTrial()).isFalse();
                perClass[d.getDecision()]++;
                if (d.getDecision() == d.getCueClass()) {
                    correct++;
                }
            }
            return new Score(seed, correct, perClass, paused);
        }
    }

    /** The marker index of the {@code k}-th cue (0-based). */
    private static int cueIndex(Recording r, int k) {
        int n = 0;
        for (int i = 0; i < r.cues().size(); i++) {
            String c = r.cues().get(i);
            if (!c.equals(EegConfig.TRIAL_START) && !c.equals(EegConfig.TRIAL_END) && n++ == k) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + (k + 1) + " cues");
    }

    @Test
    void shouldDecideHeldOutTrialsWellAboveChanceWithoutCollapsingToOneClass() throws Exception {
        List<Score> scores = new ArrayList<>();
        try (InProcessFixture f = new InProcessFixture(dir)) {
            for (long seed = 1; seed <= 4; seed++) {
                Score sc = run(f, seed);
                System.out.printf(
                        Locale.ROOT,
                        "motor imagery seed %d: held-out accuracy %.2f, decisions left/right %d/%d,"
                                + " %s%n",
                        sc.seed(),
                        sc.accuracy(),
                        sc.perClass()[0],
                        sc.perClass()[1],
                        sc.calibration().getCalibration());
                scores.add(sc);
            }
        }
        double mean = 0;
        for (Score sc : scores) {
            assertThat(sc.calibration().getCalibration())
                    .as("seed %d", sc.seed())
                    .startsWith("readout bias shifted by [")
                    .contains("from 20 labelled trial windows");
            assertThat(sc.maxShare())
                    .as("seed %d: share of one class", sc.seed())
                    .isLessThanOrEqualTo(0.8);
            assertThat(sc.accuracy())
                    .as("seed %d: accuracy", sc.seed())
                    .isGreaterThanOrEqualTo(0.7);
            mean += sc.accuracy() / scores.size();
        }
        assertThat(mean).as("mean held-out accuracy").isGreaterThanOrEqualTo(0.8);
    }
}
