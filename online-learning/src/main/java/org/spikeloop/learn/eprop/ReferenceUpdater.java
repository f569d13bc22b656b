package org.spikeloop.learn.eprop;

/**
 * Applies an accumulated gradient to the float64 reference's parameter groups (w_in, w_rec, bias,
 * w_out, readout bias) with SGD or Adam (Kingma &amp; Ba 2015, Algorithm 1) and the clinical
 * guards: per-element |Δw| ≤ maxWeightChange, group Frobenius norm ≤ maxWeightNorm (scaled back),
 * and all-or-nothing commit: if any gradient, step or new weight is non-finite, nothing changes,
 * the weights stay at the last good values and the event is counted.
 *
 * <p>Not thread-safe; allocates only at construction.
 */
final class ReferenceUpdater {
    private final EpropConfig config;
    private final double[][] weights;
    private final double[][] next;
    private final double[][] m;
    private final double[][] s;
    private final double[] lr;
    private long adamSteps;
    private long nonFiniteEvents;

    ReferenceUpdater(EpropConfig config, double[][] weights) {
        this.config = config;
        this.weights = weights;
        next = new double[weights.length][];
        m = new double[weights.length][];
        s = new double[weights.length][];
        for (int g = 0; g < weights.length; g++) {
            next[g] = new double[weights[g].length];
            m[g] = new double[weights[g].length];
            s[g] = new double[weights[g].length];
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
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        double maxChange = config.maxWeightChange();
        for (int g = 0; g < weights.length; g++) {
            double[] w = weights[g];
            double[] gr = grads[g];
            double norm2 = 0.0;
            for (int i = 0; i < w.length; i++) {
                double step;
                if (adam) {
                    double mi = b1 * m[g][i] + (1.0 - b1) * gr[i];
                    double si = b2 * s[g][i] + (1.0 - b2) * gr[i] * gr[i];
                    step = -lr[g] * (mi / c1) / (Math.sqrt(si / c2) + config.adamEpsilon());
                } else {
                    step = -lr[g] * gr[i];
                }
                step = Math.max(-maxChange, Math.min(maxChange, step));
                double wi = w[i] + step;
                if (!Double.isFinite(gr[i]) || !Double.isFinite(wi)) {
                    nonFiniteEvents++;
                    return false;
                }
                next[g][i] = wi;
                norm2 += wi * wi;
            }
            double norm = Math.sqrt(norm2);
            if (norm > config.maxWeightNorm()) {
                double shrink = config.maxWeightNorm() / norm;
                for (int i = 0; i < w.length; i++) {
                    next[g][i] *= shrink;
                }
            }
        }
        for (int g = 0; g < weights.length; g++) {
            System.arraycopy(next[g], 0, weights[g], 0, weights[g].length);
            if (adam) {
                double[] gr = grads[g];
                for (int i = 0; i < gr.length; i++) {
                    m[g][i] = b1 * m[g][i] + (1.0 - b1) * gr[i];
                    s[g][i] = b2 * s[g][i] + (1.0 - b2) * gr[i] * gr[i];
                }
            }
        }
        if (adam) {
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
