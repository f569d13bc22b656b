package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spikeloop.learn.baseline.KalmanDecoder;
import org.spikeloop.learn.baseline.KalmanModel;
import org.spikeloop.learn.baseline.KinematicDecoder;
import org.spikeloop.learn.baseline.WienerFilter;

/**
 * The classical decoders a regression job is compared with, fitted on the job's own training part
 * and scored on its held-out part exactly like the spiking decoder: the velocity Kalman filter (Wu
 * et al. 2006) and the Wiener filter (linear regression on lagged bins), both on input counts
 * summed over bins.
 *
 * <p>They get the same chance as the spiking decoder: bin width, Wiener lags and the span of recent
 * training data (the last k of {@link ReadoutCalibration#BLOCKS} blocks, as for the readout) are
 * chosen by R² on the same inner validation part, then each is refitted on that span plus the
 * validation part. Every decoder is run causally over the whole recording from its start; a bin's
 * estimate is out at the bin's last frame (as the spiking readout is at the frame it stepped on)
 * and held until the next bin closes (so a wider bin also costs latency, as it would live); R² is
 * taken per frame against the frame's label.
 *
 * <p>Control plane: allocates; single-threaded.
 */
public final class RegressionBaselines {
    /** Bin widths tried, in decoder steps' milliseconds. */
    static final double[] BIN_MS = {10, 20, 50, 100};

    /** Wiener filter lags tried (bins of history, the current one included). */
    static final int[] WIENER_LAGS = {1, 3, 5};

    static final double WIENER_RELATIVE_RIDGE = 1e-3;
    static final double KALMAN_NOISE_FLOOR = 1e-6;

    /**
     * One fitted baseline.
     *
     * @param name {@code kalman} or {@code wiener}
     * @param settings what was chosen, e.g. {@code bin 50 ms, lags 3, from 120.0 s}
     * @param heldOut per-output score on the held-out part
     * @param predictions per-frame estimate over the held-out part, row-major [T, O]
     */
    public record Result(
            String name, String settings, RegressionScore heldOut, float[] predictions) {}

    /**
     * A fitted baseline that can be run again on changed data (a robustness test's corrupted
     * held-out part): the decoder and its bin width, as {@link #fit} chose them.
     *
     * @param name {@code kalman} or {@code wiener}
     * @param decoder the fitted decoder (its state is reset by each {@link #score})
     * @param bin its bin width, frames
     */
    public record Fitted(String name, KinematicDecoder decoder, int bin) {
        /**
         * Runs the decoder causally over {@code all} from its first frame and scores it on the
         * frames from {@code heldOutStart} on, as {@link #fit} scores the held-out part.
         */
        public RegressionScore score(LabelledSequence all, int heldOutStart) {
            float[] p = run(decoder, all, bin, heldOutStart, all.frames());
            return RegressionScore.of(
                    p,
                    slice(all.y(), all.outputs(), heldOutStart, all.frames()),
                    all.outputs(),
                    0,
                    all.frames() - heldOutStart);
        }
    }

    private RegressionBaselines() {}

    /**
     * As {@link #fit}, returning the fitted decoders instead of their scores.
     *
     * @param all the recording; only frames before {@code heldOutStart} are fitted on
     */
    public static List<Fitted> fitDecoders(
            LabelledSequence all, int validationStart, int heldOutStart, double dtMs) {
        List<Fitted> out = new ArrayList<>();
        out.add(select("kalman", all, validationStart, heldOutStart, dtMs, new int[] {0}).fitted());
        out.add(select("wiener", all, validationStart, heldOutStart, dtMs, WIENER_LAGS).fitted());
        return out;
    }

    /**
     * @param all the whole recording in the targets' units: training part then held-out part
     * @param validationStart first frame of the inner validation part (in the training part)
     * @param heldOutStart first frame of the held-out part
     * @param dtMs the decoder's step, ms (the frames' spacing)
     */
    public static List<Result> fit(
            LabelledSequence all, int validationStart, int heldOutStart, double dtMs) {
        List<Result> out = new ArrayList<>();
        out.add(best("kalman", all, validationStart, heldOutStart, dtMs, new int[] {0}));
        out.add(best("wiener", all, validationStart, heldOutStart, dtMs, WIENER_LAGS));
        return out;
    }

    private static Selection select(
            String name,
            LabelledSequence all,
            int validationStart,
            int heldOutStart,
            double dtMs,
            int[] lagsTried) {
        double bestR2 = Double.NEGATIVE_INFINITY;
        int bestBin = 0;
        int bestLags = 0;
        int bestStart = 0;
        for (double binMs : BIN_MS) {
            int bin = Math.max(1, (int) Math.round(binMs / dtMs));
            for (int lags : lagsTried) {
                for (int k = 0; k < ReadoutCalibration.BLOCKS; k++) {
                    int start =
                            (int)
                                    ((long) validationStart
                                            * (ReadoutCalibration.BLOCKS - 1 - k)
                                            / ReadoutCalibration.BLOCKS);
                    KinematicDecoder d = fitOn(name, all, start, validationStart, bin, lags);
                    if (d == null) {
                        continue;
                    }
                    float[] p = run(d, all, bin, validationStart, heldOutStart);
                    double r2 =
                            RegressionScore.of(
                                            p,
                                            slice(
                                                    all.y(),
                                                    all.outputs(),
                                                    validationStart,
                                                    heldOutStart),
                                            all.outputs(),
                                            0,
                                            heldOutStart - validationStart)
                                    .meanR2();
                    if (r2 > bestR2) {
                        bestR2 = r2;
                        bestBin = bin;
                        bestLags = lags;
                        bestStart = start;
                    }
                }
            }
        }
        if (bestBin == 0) {
            throw new IllegalArgumentException(
                    name + ": no bin width and span could be fitted on the training part");
        }
        KinematicDecoder d = fitOn(name, all, bestStart, heldOutStart, bestBin, bestLags);
        boolean refitted = d != null;
        if (!refitted) { // keep the fit that was chosen, without the validation part
            d = fitOn(name, all, bestStart, validationStart, bestBin, bestLags);
        }
        return new Selection(new Fitted(name, d, bestBin), bestStart, bestLags, refitted);
    }

    /**
     * The chosen decoder, where its training span starts, its lags, and whether it was refitted.
     */
    private record Selection(Fitted fitted, int start, int lags, boolean refitted) {}

    private static Result best(
            String name,
            LabelledSequence all,
            int validationStart,
            int heldOutStart,
            double dtMs,
            int[] lagsTried) {
        Selection sel = select(name, all, validationStart, heldOutStart, dtMs, lagsTried);
        Fitted d = sel.fitted();
        float[] p = run(d.decoder(), all, d.bin(), heldOutStart, all.frames());
        RegressionScore score =
                RegressionScore.of(
                        p,
                        slice(all.y(), all.outputs(), heldOutStart, all.frames()),
                        all.outputs(),
                        0,
                        all.frames() - heldOutStart);
        String settings =
                String.format(
                        Locale.ROOT,
                        "bin %.0f ms%s, training from %.1f s%s",
                        d.bin() * dtMs,
                        name.equals("wiener") ? ", lags " + sel.lags() : "",
                        all.stampsS()[sel.start()] - all.stampsS()[0],
                        sel.refitted()
                                ? ""
                                : " (refit with the validation part failed: fit without it)");
        return new Result(name, settings, score, p);
    }

    /** Fits on the bins inside frames [from, to); null when the data are degenerate. */
    private static KinematicDecoder fitOn(
            String name, LabelledSequence s, int from, int to, int bin, int lags) {
        int bins = (to - from) / bin;
        if (bins < Math.max(4, lags + 2)) {
            return null;
        }
        int c = s.channels();
        int o = s.outputs();
        double[][] features = new double[bins][c];
        double[][] kinematics = new double[bins][o];
        for (int b = 0; b < bins; b++) {
            int first = from + b * bin;
            for (int f = first; f < first + bin; f++) {
                for (int i = 0; i < c; i++) {
                    features[b][i] += s.x()[f * c + i];
                }
            }
            int last = first + bin - 1; // the label holding when the bin closes
            for (int k = 0; k < o; k++) {
                kinematics[b][k] = s.y()[last * o + k];
            }
        }
        try {
            if (name.equals("kalman")) {
                return new KalmanDecoder(
                        KalmanModel.fit(kinematics, features, KALMAN_NOISE_FLOOR), true);
            }
            return WienerFilter.fit(features, kinematics, lags, relativeRidge(features, lags));
        } catch (IllegalArgumentException | IllegalStateException degenerate) {
            // kinematics that do not span their space in this span, or a Kalman covariance
            // recursion that does not converge: the candidate is skipped, the others compete
            return null;
        }
    }

    /** λ = α·(mean feature variance)·rows, so the ridge is free of the counts' scale. */
    private static double relativeRidge(double[][] features, int lags) {
        int n = features[0].length;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            double m2 = 0;
            for (double[] row : features) {
                m += row[i];
                m2 += row[i] * row[i];
            }
            m /= features.length;
            var += m2 / features.length - m * m;
        }
        return WIENER_RELATIVE_RIDGE * Math.max(var / n, 1e-12) * features.length;
    }

    /**
     * Runs {@code d} causally over frames [0, to) and returns its per-frame estimate over [from,
     * to): bins aligned to frame 0, each bin's estimate out at its last frame and held.
     */
    private static float[] run(KinematicDecoder d, LabelledSequence s, int bin, int from, int to) {
        int c = s.channels();
        int o = s.outputs();
        d.reset();
        float[] sum = new float[c];
        double[] est = new double[o];
        float[] out = new float[(to - from) * o];
        int inBin = 0;
        for (int f = 0; f < to; f++) {
            for (int i = 0; i < c; i++) {
                sum[i] += (float) s.x()[f * c + i];
            }
            if (++inBin == bin) {
                d.decode(sum, est);
                java.util.Arrays.fill(sum, 0f);
                inBin = 0;
            }
            if (f >= from) {
                for (int k = 0; k < o; k++) {
                    out[(f - from) * o + k] = (float) est[k];
                }
            }
        }
        return out;
    }

    private static double[] slice(double[] y, int o, int from, int to) {
        double[] s = new double[(to - from) * o];
        System.arraycopy(y, from * o, s, 0, s.length);
        return s;
    }
}
