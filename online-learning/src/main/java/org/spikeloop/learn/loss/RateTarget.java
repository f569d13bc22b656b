package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Homeostatic regulariser (Bellec et al. 2020, Methods "Firing rate regularization"): each neuron's
 * rate f_j = Σ_{b,t} z_t[j] / (B·T'·dt) in Hz, averaged over the batch and the sequence, is pulled
 * toward the target f*: R = (λ/2)·Σ_{p,j} (f_j − f*)², ∂R/∂z_t[j] = λ(f_j − f*)/(B·T'·dt). Unlike
 * {@link SpikeCountPenalty} it raises silent neurons as well as quieting busy ones; unlike the
 * other terms it couples the samples of a batch through the batch-mean rate.
 */
public final class RateTarget implements ObjectiveTerm {
    private final int[] pops;
    private final int[] sizes;
    private final double weight;
    private final double targetHz;
    private final double dtSeconds;
    private double[][] coefficient;

    public RateTarget(int[] pops, int[] sizes, double weight, double targetHz, double dtMs) {
        this.pops = pops.clone();
        this.sizes = sizes.clone();
        this.weight = weight;
        this.targetHz = targetHz;
        this.dtSeconds = dtMs / 1000.0;
        this.coefficient = new double[pops.length][];
    }

    @Override
    public String name() {
        return "rate_target";
    }

    @Override
    public void check(Batch batch, int steps) {}

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        double norm = bsz * r.steps() * dtSeconds;
        double total = 0.0;
        for (int k = 0; k < pops.length; k++) {
            coefficient[k] = new double[sizes[k]];
            for (int j = 0; j < sizes[k]; j++) {
                long c = 0;
                for (int b = 0; b < bsz; b++) {
                    for (int t = 0; t < r.steps(); t++) {
                        if (r.spike(pops[k], t, b, j)) {
                            c++;
                        }
                    }
                }
                double e = c / norm - targetHz;
                total += 0.5 * weight * e * e;
                coefficient[k][j] = weight * e / norm;
            }
        }
        return total;
    }

    @Override
    public void addGradient(GradientSink s) {
        for (int k = 0; k < pops.length; k++) {
            double[] c = coefficient[k];
            for (int j = 0; j < sizes[k]; j++) {
                s.addSpike(pops[k], j, c[j]);
            }
        }
    }
}
