package org.spikeloop.learn.eprop;

import org.spikeloop.learn.optim.AdamKernel;

/**
 * Applies an accumulated gradient to the float64 reference's parameter groups (w_in, w_rec, bias,
 * w_out, readout bias) with SGD or Adam ({@link AdamKernel}, Kingma &amp; Ba 2015, Algorithm 1) and
 * the clinical guards: per-element |Δw| ≤ maxWeightChange, group Frobenius norm ≤ maxWeightNorm
 * (scaled back), and all-or-nothing commit: if any gradient, step or new weight is non-finite,
 * nothing changes (weights and Adam moments stay at the last good values) and the event is counted.
 * The candidate weights and moments are computed into copies and committed only when every group is
 * finite.
 *
 * <p>Not thread-safe; allocates only at construction.
 */
final class ReferenceUpdater {
    private final EpropConfig config;
    private final double[][] weights;
    private final double[][] next;
    private double[][] m;
    private double[][] s;
    private double[][] nextM;
    private double[][] nextS;
    private final double[] lr;
    private long adamSteps;
    private long nonFiniteEvents;

    ReferenceUpdater(EpropConfig config, double[][] weights) {
        this.config = config;
        this.weights = weights;
        next = new double[weights.length][];
        m = new double[weights.length][];
        s = new double[weights.length][];
        nextM = new double[weights.length][];
        nextS = new double[weights.length][];
        for (int g = 0; g < weights.length; g++) {
            next[g] = new double[weights[g].length];
            m[g] = new double[weights[g].length];
            s[g] = new double[weights[g].length];
            nextM[g] = new double[weights[g].length];
            nextS[g] = new double[weights[g].length];
        }
        lr =
                new double[] {
                    config.lrInput(),
                    config.lrRecurrent(),
                    config.lrBias(),
                    config.lrReadout(),
                    config.lrReadoutBias()
                };
    }

    /**
     * @param grads gradients in group order, same lengths as the weights (not modified)
     * @return false (nothing changed, event counted) when a non-finite value appeared
     */
    boolean apply(double[][] grads) {
        boolean adam = config.optimizer() == OptimizerKind.ADAM;
        long t = adamSteps + 1;
        double b1 = config.adamBeta1();
        double b2 = config.adamBeta2();
        double c1 = AdamKernel.biasCorrection(b1, t);
        double c2 = AdamKernel.biasCorrection(b2, t);
        double maxChange = config.maxWeightChange();
        for (int g = 0; g < weights.length; g++) {
            double[] w = weights[g];
            double[] gr = grads[g];
            double[] nw = next[g];
            System.arraycopy(w, 0, nw, 0, w.length);
            if (adam) {
                System.arraycopy(m[g], 0, nextM[g], 0, w.length);
                System.arraycopy(s[g], 0, nextS[g], 0, w.length);
                AdamKernel.update(
                        nw,
                        0,
                        gr,
                        nextM[g],
                        nextS[g],
                        0,
                        w.length,
                        lr[g],
                        b1,
                        b2,
                        config.adamEpsilon(),
                        c1,
                        c2,
                        maxChange);
            } else {
                for (int i = 0; i < w.length; i++) {
                    nw[i] += Math.max(-maxChange, Math.min(maxChange, -lr[g] * gr[i]));
                }
            }
            double norm2 = 0.0;
            for (int i = 0; i < w.length; i++) {
                if (!Double.isFinite(gr[i]) || !Double.isFinite(nw[i])) {
                    nonFiniteEvents++;
                    return false;
                }
                norm2 += nw[i] * nw[i];
            }
            double norm = Math.sqrt(norm2);
            if (norm > config.maxWeightNorm()) {
                double shrink = config.maxWeightNorm() / norm;
                for (int i = 0; i < w.length; i++) {
                    nw[i] *= shrink;
                }
            }
        }
        for (int g = 0; g < weights.length; g++) {
            System.arraycopy(next[g], 0, weights[g], 0, weights[g].length);
        }
        if (adam) {
            // The candidates become the moments; the old arrays are the next candidates' space.
            double[][] swap = m;
            m = nextM;
            nextM = swap;
            swap = s;
            s = nextS;
            nextS = swap;
            adamSteps = t;
        }
        return true;
    }

    /** Counts a non-finite event detected outside {@link #apply} (e.g. a non-finite readout). */
    void reportNonFinite() {
        nonFiniteEvents++;
    }

    long nonFiniteEvents() {
        return nonFiniteEvents;
    }
}
