package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Membrane regulariser R = λ·mean_b Σ_{p,t,j} v_t[j]: a constant pull on every membrane (∂R/∂v =
 * λ/B), entering v directly rather than through spikes. With λ &gt; 0 it lowers membranes (and so
 * activity) smoothly, where {@link SpikeCountPenalty} acts only through the surrogate near
 * threshold.
 */
public final class MembranePenalty implements ObjectiveTerm {
    private final int[] pops;
    private final int[] sizes;
    private final double weight;
    private double coefficient;

    public MembranePenalty(int[] pops, int[] sizes, double weight) {
        this.pops = pops.clone();
        this.sizes = sizes.clone();
        this.weight = weight;
    }

    @Override
    public String name() {
        return "membrane";
    }

    @Override
    public void check(Batch batch, int steps) {}

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        double sum = 0.0;
        for (int k = 0; k < pops.length; k++) {
            for (int b = 0; b < bsz; b++) {
                for (int t = 0; t < r.steps(); t++) {
                    for (int j = 0; j < sizes[k]; j++) {
                        sum += r.membrane(pops[k], t, b, j);
                    }
                }
            }
        }
        coefficient = weight / bsz;
        return weight * sum / bsz;
    }

    @Override
    public void addGradient(GradientSink s) {
        for (int k = 0; k < pops.length; k++) {
            for (int j = 0; j < sizes[k]; j++) {
                s.addMembrane(pops[k], j, coefficient);
            }
        }
    }
}
