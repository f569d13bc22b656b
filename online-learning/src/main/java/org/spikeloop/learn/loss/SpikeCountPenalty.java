package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Metabolic regulariser: R = λ·mean_b Σ_{p,t,j} z_t[j] over the chosen populations, pushing every
 * spike down equally (∂R/∂z = λ/B). Unlike {@link RateTarget} it has no set point.
 */
public final class SpikeCountPenalty implements ObjectiveTerm {
    private final int[] pops;
    private final int[] sizes;
    private final double weight;
    private double coefficient;

    public SpikeCountPenalty(int[] pops, int[] sizes, double weight) {
        this.pops = pops.clone();
        this.sizes = sizes.clone();
        this.weight = weight;
    }

    @Override
    public String name() {
        return "spike_count";
    }

    @Override
    public void check(Batch batch, int steps) {}

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        long count = 0;
        for (int k = 0; k < pops.length; k++) {
            for (int b = 0; b < bsz; b++) {
                for (int t = 0; t < r.steps(); t++) {
                    for (int j = 0; j < sizes[k]; j++) {
                        if (r.spike(pops[k], t, b, j)) {
                            count++;
                        }
                    }
                }
            }
        }
        coefficient = weight / bsz;
        return weight * count / bsz;
    }

    @Override
    public void addGradient(GradientSink s) {
        for (int k = 0; k < pops.length; k++) {
            for (int j = 0; j < sizes[k]; j++) {
                s.addSpike(pops[k], j, coefficient);
            }
        }
    }
}
