package org.spikeloop.learn.jobs;

import java.util.List;
import org.spikeloop.learn.trials.Trial;
import org.spikeloop.learn.trials.WindowedDecision;

/**
 * How a classifier decided a set of trials: per trial the class probabilities and the decision
 * (arg-max, the lowest class on a tie), the accuracy (share of trials decided right), the confusion
 * matrix and the mean cross-entropy −log π[c] (natural log; log K is what guessing scores).
 *
 * @param classNames index → class name
 * @param trials the trials scored, in time order
 * @param truth each trial's class
 * @param decision each trial's decided class
 * @param probabilities each trial's class probabilities [n][K] (null rows when a baseline gives
 *     scores without probabilities: then {@code meanCrossEntropy} is NaN)
 * @param accuracy share of trials decided right
 * @param confusion [true class][decided class] trial counts
 * @param meanCrossEntropy mean over trials of −log π[truth] (NaN without probabilities)
 */
public record ClassificationScore(
        List<String> classNames,
        List<Trial> trials,
        int[] truth,
        int[] decision,
        double[][] probabilities,
        double accuracy,
        int[][] confusion,
        double meanCrossEntropy) {

    /**
     * Scores decisions from per-trial logits (a window-averaged readout, LDA scores): π =
     * softmax(logits + offsets), decision = arg-max.
     *
     * @param logits [n][K] (not modified)
     * @param offsets per-class offsets added first, or null
     */
    public static ClassificationScore ofLogits(
            List<String> classNames,
            List<Trial> trials,
            int[] truth,
            double[][] logits,
            double[] offsets) {
        int n = truth.length;
        int k = classNames.size();
        int[] decision = new int[n];
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = logits[i].clone();
            if (offsets != null) {
                for (int c = 0; c < k; c++) {
                    p[i][c] += offsets[c];
                }
            }
            decision[i] = WindowedDecision.softmax(p[i], k);
        }
        return of(classNames, trials, truth, decision, p);
    }

    /** Scores given decisions (and probabilities, or null). */
    public static ClassificationScore of(
            List<String> classNames,
            List<Trial> trials,
            int[] truth,
            int[] decision,
            double[][] probabilities) {
        int n = truth.length;
        int k = classNames.size();
        int[][] confusion = new int[k][k];
        int right = 0;
        double ce = 0.0;
        for (int i = 0; i < n; i++) {
            confusion[truth[i]][decision[i]]++;
            right += truth[i] == decision[i] ? 1 : 0;
            if (probabilities != null) {
                ce -= Math.log(Math.max(probabilities[i][truth[i]], Double.MIN_NORMAL));
            }
        }
        return new ClassificationScore(
                List.copyOf(classNames),
                List.copyOf(trials),
                truth,
                decision,
                probabilities,
                n == 0 ? Double.NaN : right / (double) n,
                confusion,
                probabilities == null || n == 0 ? Double.NaN : ce / n);
    }

    /** Trials decided right. */
    public int correct() {
        int c = 0;
        for (int i = 0; i < truth.length; i++) {
            c += truth[i] == decision[i] ? 1 : 0;
        }
        return c;
    }

    /** Trials scored. */
    public int count() {
        return truth.length;
    }

    /** Share of the trials of class k decided right (NaN when it has none). */
    public double recall(int k) {
        int n = 0;
        for (int d : confusion[k]) {
            n += d;
        }
        return n == 0 ? Double.NaN : confusion[k][k] / (double) n;
    }

    /** The largest share of the trials decided as any one class (1/K when balanced). */
    public double maxClassShare() {
        int max = 0;
        for (int d = 0; d < classNames.size(); d++) {
            int col = 0;
            for (int[] row : confusion) {
                col += row[d];
            }
            max = Math.max(max, col);
        }
        return truth.length == 0 ? Double.NaN : max / (double) truth.length;
    }
}
