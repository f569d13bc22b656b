package org.spikeloop.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalDrift;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.learn.baseline.KalmanDecoder;
import org.spikeloop.learn.baseline.KalmanModel;
import org.spikeloop.learn.baseline.WienerFilter;

/**
 * The intracortical part of {@code spikeloop bench decode}: a 96-unit rig on a center-out task,
 * {@code trainS} seconds of training data without drift, then an evaluation stream of {@code
 * beforeS} seconds, a rotation of every preferred direction by {@code driftDeg} degrees, and {@code
 * afterS} more seconds. Every decoder sees the same frames; scores are {@link DriftScores} on 50-ms
 * bins.
 */
final class IntracorticalDecodeBench {
    static final int STEPS_PER_FRAME = 10; // 10-ms frames from the 1-kHz rig
    static final int FRAMES_PER_BIN = 5; // 50-ms evaluation bins
    static final double FRAME_S = 0.010;
    static final double BIN_S = FRAME_S * FRAMES_PER_BIN;
    static final double KALMAN_NOISE_FLOOR = 1e-3;
    static final int WIENER_LAGS = 10;
    static final double WIENER_RIDGE = 0.05;

    /** Settings; all times in seconds of simulated time. */
    record Settings(
            long seed,
            double trainS,
            double beforeS,
            double afterS,
            double driftDeg,
            double windowS) {}

    /** Builds an SNN-backed decoder from the training stream, or says why it cannot. */
    interface SnnFactory {
        /**
         * Returns the decoders built (possibly none) and records missing ones in {@code missing}.
         */
        List<DecoderUnderTest> build(
                IntracorticalStream training, double framesS, Map<String, String> missing);
    }

    /** Scores of every decoder that ran and the reasons for those that did not. */
    record Outcome(List<DecodeResult> results, Map<String, String> missing, int driftBin) {}

    private final Settings settings;

    IntracorticalDecodeBench(Settings settings) {
        this.settings = settings;
    }

    Outcome run(SnnFactory snn, PrintWriter log) {
        RigConfig config = RigConfig.defaults(settings.seed());
        IntracorticalRig rig = new IntracorticalRig(config);
        double dtS = config.dtMs() / 1000.0;
        int trainFrames = (int) Math.round(settings.trainS() / FRAME_S);
        IntracorticalStream training =
                IntracorticalStream.record(
                        rig, trainFrames, STEPS_PER_FRAME, dtS, 0.0, DriftSchedule.none());
        int evalFrames = (int) Math.round((settings.beforeS() + settings.afterS()) / FRAME_S);
        DriftSchedule<IntracorticalRig> drift =
                new DriftSchedule<>(
                        List.of(
                                new IntracorticalDrift.Rotation(
                                        settings.beforeS(), settings.driftDeg())));
        IntracorticalStream evaluation =
                IntracorticalStream.record(rig, evalFrames, STEPS_PER_FRAME, dtS, 0.0, drift);
        log.printf(
                Locale.ROOT,
                "bench decode: intracortical %d units, %.0f s training, %.0f s + %.0f s evaluation,"
                        + " rotation %.0f° at %.0f s%n",
                rig.units(),
                settings.trainS(),
                settings.beforeS(),
                settings.afterS(),
                settings.driftDeg(),
                settings.beforeS());
        log.flush();

        List<DecoderUnderTest> decoders = new ArrayList<>();
        List<Double> trainTimes = new ArrayList<>();
        double[][][] bins = training.bins(FRAMES_PER_BIN);
        long t0 = System.nanoTime();
        KalmanModel kalman = KalmanModel.fit(bins[1], bins[0], KALMAN_NOISE_FLOOR);
        decoders.add(
                new BinnedBaseline("kalman", new KalmanDecoder(kalman, false), FRAMES_PER_BIN));
        trainTimes.add((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        WienerFilter wiener = WienerFilter.fit(bins[0], bins[1], WIENER_LAGS, WIENER_RIDGE);
        decoders.add(new BinnedBaseline("wiener", wiener, FRAMES_PER_BIN));
        trainTimes.add((System.nanoTime() - t0) / 1e9);

        Map<String, String> missing = new LinkedHashMap<>();
        t0 = System.nanoTime();
        List<DecoderUnderTest> snnDecoders = snn.build(training, FRAME_S, missing);
        double snnTrainS = (System.nanoTime() - t0) / 1e9;
        for (DecoderUnderTest d : snnDecoders) {
            decoders.add(d);
            trainTimes.add(snnTrainS);
        }

        int driftBin = (int) Math.round(settings.beforeS() / BIN_S);
        List<DecodeResult> results = new ArrayList<>();
        for (int k = 0; k < decoders.size(); k++) {
            DecoderUnderTest d = decoders.get(k);
            long start = System.nanoTime();
            double[][][] run = replay(d, evaluation);
            DriftScores scores =
                    DriftScores.of(run[0], run[1], BIN_S, driftBin, settings.windowS());
            double runS = (System.nanoTime() - start) / 1e9;
            log.printf(
                    Locale.ROOT,
                    "bench decode: %-16s R² before %.3f, after %.3f, at 60 s %.3f, recovery %s"
                            + " (%.1f s)%n",
                    d.name(),
                    scores.r2Before(),
                    scores.r2After(),
                    scores.r2At60s(),
                    scores.recoveryS() == null ? "none" : scores.recoveryS() + " s",
                    runS);
            log.flush();
            results.add(new DecodeResult(d.name(), scores, trainTimes.get(k), runS));
        }
        return new Outcome(results, missing, driftBin);
    }

    /** Feeds every frame; returns {truth, estimate} per evaluation bin. */
    private static double[][][] replay(DecoderUnderTest decoder, IntracorticalStream stream) {
        int bins = stream.frames() / FRAMES_PER_BIN;
        double[][] truth = new double[bins][2];
        double[][] estimate = new double[bins][2];
        for (int b = 0; b < bins; b++) {
            for (int k = 0; k < FRAMES_PER_BIN; k++) {
                int f = b * FRAMES_PER_BIN + k;
                decoder.frame(stream.counts[f], stream.velocity[f]);
                truth[b][0] += stream.velocity[f][0] / FRAMES_PER_BIN;
                truth[b][1] += stream.velocity[f][1] / FRAMES_PER_BIN;
            }
            decoder.estimate(estimate[b]);
        }
        return new double[][][] {truth, estimate};
    }
}
