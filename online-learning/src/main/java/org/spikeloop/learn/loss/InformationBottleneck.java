package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Information-bottleneck regulariser: the rate term β·KL[p(z|x) ‖ r(z)] of the variational
 * information bottleneck (Alemi et al. 2017, "Deep Variational Information Bottleneck", ICLR),
 * which bounds I(X; Z) from above, in a deterministic, tractable form for a spike representation.
 *
 * <p>Each hidden neuron's spikes in one sample are read as a Bernoulli code with the per-step
 * firing probability q_bj, estimated from the sample's count n_bj = Σ_t z_t[b, j] with the
 * Krichevsky–Trofimov estimator q_bj = (n_bj + ½)/(T' + 1), which stays inside (0, 1) so the
 * logarithms are finite and the term is differentiable everywhere. The prior r is a low rate π =
 * priorHz·dt (probability per step). Per network step and neuron, in nats:
 *
 * <pre>
 *   R = β · (1/B) Σ_b Σ_{p,j} KL(q_bj ‖ π),
 *   KL(q ‖ π) = q·ln(q/π) + (1 − q)·ln((1 − q)/(1 − π)),
 *   ∂R/∂z_t[b, j] = (β/B) · (logit q_bj − logit π) / (T' + 1).
 * </pre>
 *
 * Unlike {@link RateTarget} (a squared error on the batch-mean rate) it is per sample, so it
 * penalises a code whose rate depends on the input — what carries information about x — and its
 * pull grows logarithmically, not linearly, as q leaves π; unlike {@link SpikeCountPenalty} its
 * gradient changes sign below the prior rate. The gradient is checked against jax.grad of the same
 * formula (clients/python/tests/test_bptt_gradients.py).
 */
public final class InformationBottleneck implements ObjectiveTerm {
    /** The prior rate when the config gives none, Hz. */
    public static final double DEFAULT_PRIOR_HZ = 5.0;

    private final int[] pops;
    private final int[] sizes;
    private final double weight;
    private final double prior;
    private final double logitPrior;
    private double[][][] coefficient; // [pop][sample][neuron]

    /**
     * @param pops the populations (indices as in {@link PopulationIndex})
     * @param sizes their sizes
     * @param weight β ≥ 0
     * @param priorHz the prior rate, Hz; priorHz·dtMs/1000 must lie in (0, 1)
     * @param dtMs the network step, ms
     * @throws IllegalArgumentException when the prior is not a probability in (0, 1)
     */
    public InformationBottleneck(
            int[] pops, int[] sizes, double weight, double priorHz, double dtMs) {
        double pi = priorHz * dtMs / 1000.0;
        if (!(pi > 0 && pi < 1)) {
            throw new IllegalArgumentException(
                    "priorHz × dt must be a probability in (0, 1), got "
                            + priorHz
                            + " Hz × "
                            + dtMs
                            + " ms");
        }
        this.pops = pops.clone();
        this.sizes = sizes.clone();
        this.weight = weight;
        this.prior = pi;
        this.logitPrior = Math.log(pi / (1 - pi));
        this.coefficient = new double[pops.length][][];
    }

    @Override
    public String name() {
        return "information_bottleneck";
    }

    @Override
    public void check(Batch batch, int steps) {}

    /** KL(Bern(q) ‖ Bern(pi)) in nats, for q and pi in (0, 1). */
    static double bernoulliKl(double q, double pi) {
        return q * Math.log(q / pi) + (1 - q) * Math.log((1 - q) / (1 - pi));
    }

    /** The Krichevsky–Trofimov estimate of a per-step probability from n events in T' steps. */
    static double rate(double count, int steps) {
        return (count + 0.5) / (steps + 1.0);
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        int steps = r.steps();
        double total = 0.0;
        for (int k = 0; k < pops.length; k++) {
            coefficient[k] = new double[bsz][sizes[k]];
            for (int b = 0; b < bsz; b++) {
                for (int j = 0; j < sizes[k]; j++) {
                    long c = 0;
                    for (int t = 0; t < steps; t++) {
                        if (r.spike(pops[k], t, b, j)) {
                            c++;
                        }
                    }
                    double q = rate(c, steps);
                    total += weight * bernoulliKl(q, prior) / bsz;
                    coefficient[k][b][j] =
                            weight * (Math.log(q / (1 - q)) - logitPrior) / (bsz * (steps + 1.0));
                }
            }
        }
        return total;
    }

    @Override
    public void addGradient(GradientSink s) {
        for (int k = 0; k < pops.length; k++) {
            double[] c = coefficient[k][s.sample()];
            for (int j = 0; j < sizes[k]; j++) {
                s.addSpike(pops[k], j, c[j]);
            }
        }
    }
}
