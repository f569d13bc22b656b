package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.spikeloop.learn.baseline.CspLdaConfig;
import org.spikeloop.learn.baseline.CspLdaDecoder;
import org.spikeloop.learn.baseline.LinearDiscriminant;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.signal.BandPassFilter;

/**
 * The classical motor-imagery classifiers a classification job reports next to its own result,
 * fitted on the same split with the same chances: settings chosen on the inner validation trials
 * (fitted on the trials before them), then refitted on every training trial, and run causally over
 * the source samples from the recording's start, each held-out trial decided at its window's end.
 *
 * <ul>
 *   <li><b>{@code csp_lda}</b> ({@link CspLdaDecoder}; Ramoser et al. 2000): causal 8–30 Hz
 *       Butterworth band-pass (order 4), CSP filters (min(3, C/2) pairs), normalised log-variance
 *       over the trial window, shrinkage LDA; the shrinkage γ from {@link #SHRINKAGES}.
 *   <li><b>{@code bandpower_lda}</b>: per source channel the log mean power of the causally
 *       band-passed signal over the trial window in mu (8–12 Hz) and beta (13–30 Hz), shrinkage LDA
 *       (equal class priors), γ from {@link #SHRINKAGES}.
 * </ul>
 *
 * Both need source samples at a regular rate above 60 Hz (the beta band's Nyquist limit) and, for
 * CSP, at least two channels; otherwise the baseline is reported as skipped with the reason.
 *
 * <p>Control plane: allocates; single-threaded.
 */
public final class ClassificationBaselines {
    /** LDA shrinkage γ tried on the inner validation trials. */
    static final double[] SHRINKAGES = {0.01, 0.05, 0.1, 0.3, 0.6, 0.9, 0.99};

    static final double MU_LOW_HZ = 8;
    static final double MU_HIGH_HZ = 12;
    static final double BETA_LOW_HZ = 13;
    static final double BETA_HIGH_HZ = 30;

    /**
     * One baseline's result.
     *
     * @param name {@code csp_lda} or {@code bandpower_lda}
     * @param settings what was chosen (or why it was skipped)
     * @param heldOut its held-out score, or null when skipped
     * @param validationAccuracy per γ tried, the inner validation accuracy
     */
    public record Result(
            String name,
            String settings,
            ClassificationScore heldOut,
            double[] validationAccuracy) {
        /** Whether the baseline could not run on this recording. */
        public boolean skipped() {
            return heldOut == null;
        }
    }

    private ClassificationBaselines() {}

    /**
     * Fits and scores both baselines.
     *
     * @param validationStart index of the first inner validation trial
     * @param heldOutStart index of the first held-out trial
     */
    public static List<Result> fit(TrialSequence data, int validationStart, int heldOutStart) {
        List<Result> r = new ArrayList<>();
        String why = unusable(data, false);
        r.add(why != null ? skipped("csp_lda", why) : cspLda(data, validationStart, heldOutStart));
        why = unusable(data, true);
        r.add(
                why != null
                        ? skipped("bandpower_lda", why)
                        : bandPower(data, validationStart, heldOutStart));
        return r;
    }

    private static Result skipped(String name, String why) {
        return new Result(name, "skipped: " + why, null, new double[0]);
    }

    private static String unusable(TrialSequence d, boolean oneChannelOk) {
        if (!(d.sourceRateHz() > 2 * BETA_HIGH_HZ)) {
            return "the source stream's rate ("
                    + d.sourceRateHz()
                    + " Hz) is not above "
                    + 2 * BETA_HIGH_HZ
                    + " Hz";
        }
        if (!oneChannelOk && d.sourceChannels() < 2) {
            return "CSP needs at least 2 source channels, got " + d.sourceChannels();
        }
        return null;
    }

    // ---- CSP + LDA ----

    private static Result cspLda(TrialSequence d, int validationStart, int heldOutStart) {
        double rate = d.sourceRateHz();
        double[][] recording = sourceRows(d);
        int pairs = Math.min(3, d.sourceChannels() / 2);
        double windowS = Double.POSITIVE_INFINITY;
        for (int i = 0; i < heldOutStart; i++) {
            windowS = Math.min(windowS, d.trials().get(i).durationS());
        }
        double[] accuracy = new double[SHRINKAGES.length];
        int best = -1;
        for (int g = 0; g < SHRINKAGES.length; g++) {
            CspLdaConfig config =
                    new CspLdaConfig(8, BETA_HIGH_HZ, 4, pairs, 0.0, windowS, SHRINKAGES[g]);
            try {
                CspLdaDecoder dec = cspFit(d, recording, rate, 0, validationStart, config);
                accuracy[g] = cspScore(d, dec, validationStart, heldOutStart).accuracy();
            } catch (IllegalArgumentException e) {
                accuracy[g] = Double.NaN; // a rank-deficient fold: this γ is not usable
                continue;
            }
            if (best < 0 || accuracy[g] > accuracy[best]) {
                best = g;
            }
        }
        if (best < 0) {
            return skipped("csp_lda", "CSP+LDA cannot be fitted on the training trials");
        }
        CspLdaConfig config =
                new CspLdaConfig(8, BETA_HIGH_HZ, 4, pairs, 0.0, windowS, SHRINKAGES[best]);
        CspLdaDecoder dec;
        try {
            dec = cspFit(d, recording, rate, 0, heldOutStart, config);
        } catch (IllegalArgumentException e) {
            return skipped("csp_lda", "CSP+LDA cannot be fitted: " + e.getMessage());
        }
        return new Result(
                "csp_lda",
                String.format(
                        Locale.ROOT,
                        "8-30 Hz, %d CSP pairs, %.3g s window ending at each trial's end,"
                                + " shrinkage %.2g",
                        pairs,
                        windowS,
                        SHRINKAGES[best]),
                cspScore(d, dec, heldOutStart, d.trialCount()),
                accuracy);
    }

    private static CspLdaDecoder cspFit(
            TrialSequence d,
            double[][] recording,
            double rate,
            int fromTrial,
            int toTrial,
            CspLdaConfig config) {
        int n = toTrial - fromTrial;
        int[] cues = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Trial t = d.trials().get(fromTrial + i);
            cues[i] = TrialSequence.firstAtOrAfter(d.sourceStampsS(), t.startS());
            labels[i] = t.classIndex();
        }
        return CspLdaDecoder.fit(recording, rate, cues, labels, d.classes(), config);
    }

    /** Runs the decoder causally from the first sample; decides trials [from, to) at their ends. */
    private static ClassificationScore cspScore(
            TrialSequence d, CspLdaDecoder dec, int from, int to) {
        dec.reset();
        int c = d.sourceChannels();
        float[] src = d.source();
        float[] frame = new float[c];
        double[] stamps = d.sourceStampsS();
        int n = to - from;
        int[] truth = new int[n];
        int[] decision = new int[n];
        int next = from;
        for (int s = 0; s < stamps.length && next < to; s++) {
            System.arraycopy(src, s * c, frame, 0, c);
            dec.step(frame);
            Trial t = d.trials().get(next);
            boolean last = s + 1 == stamps.length || stamps[s + 1] >= t.endS();
            if (stamps[s] >= t.startS() && last) {
                truth[next - from] = t.classIndex();
                decision[next - from] = dec.predict();
                next++;
            }
        }
        return ClassificationScore.of(
                d.classNames(), d.trials().subList(from, to), truth, decision, null);
    }

    // ---- band power + shrinkage LDA ----

    private static Result bandPower(TrialSequence d, int validationStart, int heldOutStart) {
        double[][] features = bandPowerFeatures(d);
        int[] classes = new int[d.trialCount()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = d.classOf(i);
        }
        double[] accuracy = new double[SHRINKAGES.length];
        int best = -1;
        for (int g = 0; g < SHRINKAGES.length; g++) {
            double[][] lda;
            try {
                lda =
                        ldaEqualPriors(
                                features, classes, 0, validationStart, d.classes(), SHRINKAGES[g]);
            } catch (IllegalArgumentException e) {
                accuracy[g] = Double.NaN;
                continue;
            }
            accuracy[g] =
                    score(d, features, classes, lda, validationStart, heldOutStart).accuracy();
            if (best < 0 || accuracy[g] > accuracy[best]) {
                best = g;
            }
        }
        if (best < 0) {
            return skipped("bandpower_lda", "LDA cannot be fitted on the band powers");
        }
        double[][] lda =
                ldaEqualPriors(features, classes, 0, heldOutStart, d.classes(), SHRINKAGES[best]);
        return new Result(
                "bandpower_lda",
                String.format(
                        Locale.ROOT,
                        "log power in 8-12 and 13-30 Hz of %d channels over each trial window,"
                                + " shrinkage %.2g",
                        d.sourceChannels(),
                        SHRINKAGES[best]),
                score(d, features, classes, lda, heldOutStart, d.trialCount()),
                accuracy);
    }

    private static ClassificationScore score(
            TrialSequence d, double[][] f, int[] classes, double[][] lda, int from, int to) {
        int k = d.classes();
        int p = f[0].length;
        double[][] logits = new double[to - from][k];
        for (int i = from; i < to; i++) {
            for (int c = 0; c < k; c++) {
                double s = lda[1][c];
                for (int j = 0; j < p; j++) {
                    s += lda[0][c * p + j] * f[i][j];
                }
                logits[i - from][c] = s;
            }
        }
        return ClassificationScore.ofLogits(
                d.classNames(),
                d.trials().subList(from, to),
                java.util.Arrays.copyOfRange(classes, from, to),
                logits,
                null);
    }

    /** Per trial: ln of the mean squared band-passed source over its window, [channel·2 + band]. */
    static double[][] bandPowerFeatures(TrialSequence d) {
        int c = d.sourceChannels();
        BandPassFilter mu = new BandPassFilter(c, MU_LOW_HZ, MU_HIGH_HZ, d.sourceRateHz(), 4);
        BandPassFilter beta = new BandPassFilter(c, BETA_LOW_HZ, BETA_HIGH_HZ, d.sourceRateHz(), 4);
        double[][] f = new double[d.trialCount()][2 * c];
        int[] count = new int[d.trialCount()];
        double[] a = new double[c];
        double[] b = new double[c];
        float[] src = d.source();
        double[] stamps = d.sourceStampsS();
        int t = 0;
        for (int s = 0; s < stamps.length && t < d.trialCount(); s++) {
            for (int ch = 0; ch < c; ch++) {
                a[ch] = src[s * c + ch];
                b[ch] = a[ch];
            }
            mu.filter(a);
            beta.filter(b);
            while (t < d.trialCount() && stamps[s] >= d.trials().get(t).endS()) {
                t++;
            }
            if (t < d.trialCount() && d.trials().get(t).contains(stamps[s])) {
                for (int ch = 0; ch < c; ch++) {
                    f[t][2 * ch] += a[ch] * a[ch];
                    f[t][2 * ch + 1] += b[ch] * b[ch];
                }
                count[t]++;
            }
        }
        for (int i = 0; i < f.length; i++) {
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = Math.log(Math.max(f[i][j] / Math.max(1, count[i]), Double.MIN_NORMAL));
            }
        }
        return f;
    }

    /**
     * A shrinkage LDA on rows [from, to) with equal class priors, as {W [K·p], b [K]}: δ_k(f) =
     * W_k·f + b_k are the log posteriors up to a common constant (Hastie et al., ESL eq. (4.10)
     * with π_k = 1/K).
     *
     * @throws IllegalArgumentException when a class has no row or the covariance is singular
     */
    static double[][] ldaEqualPriors(
            double[][] f, int[] classes, int from, int to, int k, double shrinkage) {
        double[][] x = java.util.Arrays.copyOfRange(f, from, to);
        int[] y = java.util.Arrays.copyOfRange(classes, from, to);
        LinearDiscriminant lda = LinearDiscriminant.fit(x, y, k, shrinkage);
        int p = f[0].length;
        int[] count = new int[k];
        for (int c : y) {
            count[c]++;
        }
        double[] w = new double[k * p];
        double[] b = new double[k];
        for (int c = 0; c < k; c++) {
            System.arraycopy(lda.weights(c), 0, w, c * p, p);
            b[c] = lda.bias(c) - Math.log(count[c] / (double) y.length);
        }
        return new double[][] {w, b};
    }

    private static double[][] sourceRows(TrialSequence d) {
        int c = d.sourceChannels();
        int n = d.sourceStampsS().length;
        double[][] r = new double[n][c];
        float[] src = d.source();
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                r[s][ch] = src[s * c + ch];
            }
        }
        return r;
    }
}
