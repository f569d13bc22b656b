package org.spikeloop.learn.eprop;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;
import org.spikeloop.snn.surrogate.Surrogate;

/**
 * The readable float64 statement of e-prop for one LIF or ALIF layer with a leaky readout (Bellec
 * et al. 2020, "A solution to the learning dilemma for recurrent networks of spiking neurons", Nat.
 * Commun. 11:3625): it runs the forward equations of {@link NeuronSpec} itself (so it can change
 * its weights in place) and keeps one eligibility vector and trace per synapse, exactly as written
 * below. Used by the 1e-9 exactness tests against BPTT and as the oracle of {@link
 * FloatEpropLearner}.
 *
 * <p>Per step t, with the presynaptic vector p_t = [x_t, 1 (bias), z_{t−1} (recurrent)]:
 *
 * <ol>
 *   <li>ALIF adaptation eligibility (Methods eq. (25), our a_t = ρ·a_{t−1} + z_{t−1}): ε^a_t =
 *       ψ_{t−1}·ε^v_{t−1} + (ρ − β·ψ_{t−1})·ε^a_{t−1};
 *   <li>membrane eligibility (eq. (14)/(24)): ε^v_t = α·ε^v_{t−1} + p_t (ZERO reset: the decay is
 *       (1 − z_{j,t−1})·α, the exact ∂v_t/∂v_{t−1});
 *   <li>forward step (v_t, a_t, z_t as in {@link NeuronSpec}, refractoriness included);
 *   <li>pseudo-derivative ψ_t = surrogate'(v_t − A_t), 0 while refractory (eq. (17); the default
 *       triangle with width θ and γ = 0.3 gives (γ/θ)·max(0, 1 − |v − A|/θ));
 *   <li>eligibility trace e_t = ψ_t·(ε^v_t − β·ε^a_t) (eq. (13)/(26)), κ-filtered ē_t = κ·ē_{t−1} +
 *       c·e_t with c = 1 − κ, the factor of the readout y_t = κ·y_{t−1} + (1 − κ)·(W_out·z_t + b);
 *   <li>with a label: err = y − y* (MSE) or softmax(y) − y* (cross-entropy), learning signal L_j =
 *       Σ_k B_jk·err_k (eq. (28)/(29)), and the gradient sums g_ji += L_j·ē_ji + R_j·e_ji, where
 *       R_j = λ·(f̂_j − f*) is the firing-rate regulariser's signal (eq. (38) with the trial
 *       average replaced by a running average f̂ of time constant rateTauMs; λ absorbs the
 *       1/(T·dt)); readout g_kj += err_k·z̄_j with z̄_t = κ·z̄_{t−1} + c·z_t, bias g_k += err_k·b̄.
 * </ol>
 *
 * <p>With {@link NestCompatibility#BSSHSLM_2020} the regulariser signal is replaced by NEST's
 * per-update-interval form, added when the update is applied (see there); with {@link
 * FeedbackMode#GIVEN} B is the caller's matrix.
 *
 * <p>The resulting gradient equals dE/dW of BPTT when the gradient is stopped through z_{t−1} in
 * the recurrent input and the reset (the adaptation keeps its own-spike path, which ε^a carries),
 * and equals full BPTT when there is no recurrence and the reset is detached. Thresholds and reset
 * offsets are not learned.
 *
 * <p>Not thread-safe; allocates only at construction and in the accessors that return copies.
 */
public final class EpropReference {
    private final NetworkSpec spec;
    private final EpropConfig config;
    private final int h;
    private final int nIn;
    private final int pre; // width of p_t
    private final int outputs;
    private final boolean recurrent;
    private final boolean alif;
    private final boolean zeroReset;
    private final double alpha;
    private final double rho;
    private final double beta;
    private final double kappa;
    private final double filterGain; // c = 1 − κ (0 → 1 in NEST-compatible mode)
    private final double readoutScale; // ŷ = y·readoutScale
    private final int refractorySteps;
    private final double dtMs;
    private final Surrogate surrogate;

    // Parameters (live, updated by applyUpdate).
    private final double[] wIn;
    private final double[] wRec;
    private final double[] bias;
    private final double[] theta;
    private final double[] delta;
    private final double[] wOut;
    private final double[] bOut;
    private final double[] randomFeedback; // [O, H] fixed B (RANDOM or GIVEN) or null

    // Network state.
    private final double[] v;
    private final double[] a;
    private final double[] z; // z_{t−1} on entry to step, z_t on exit
    private final double[] zNext;
    private final double[] r;
    private final double[] y;
    private final double[] rateHz;

    // e-prop state, [H, pre] row-major.
    private final double[] p;
    private final double[] epsV;
    private final double[] epsA;
    private final double[] eBar;
    private final double[] psi; // ψ_{t−1} on entry, ψ_t on exit
    private final double[] zBar;
    private double biasBar;

    // Accumulated gradients.
    private final double[] gSyn; // [H, pre]
    private final double[] gOut; // [O, H]
    private final double[] gBOut; // [O]
    private final double[] err;
    private double loss;
    private long learnSteps;

    // NEST bsshslm_2020 regulariser: Σ_t e_ji^t, spikes and steps since the last update.
    private final boolean nestRegularizer;
    private final double[] sumE;
    private final double[] spikeCount;
    private long stepsSinceUpdate;

    private final ReferenceUpdater updater;

    /**
     * @param spec one LIF/ALIF layer with a LEAKY readout (checked)
     * @param params initial parameters (copied)
     * @param config the learner configuration
     * @throws IllegalArgumentException naming an unsupported field or a parameter mismatch
     */
    public EpropReference(NetworkSpec spec, NetworkParams params, EpropConfig config) {
        this(spec, params, config, null);
    }

    /**
     * @param spec one LIF/ALIF layer with a LEAKY readout (checked)
     * @param params initial parameters (copied)
     * @param config the learner configuration
     * @param feedback the fixed feedback matrix B [O, H] row-major when {@code config.feedback()}
     *     is GIVEN (copied), otherwise null
     * @throws IllegalArgumentException naming an unsupported field, a parameter mismatch, or a
     *     feedback matrix that is missing, unexpected, mis-sized or non-finite
     */
    public EpropReference(
            NetworkSpec spec, NetworkParams params, EpropConfig config, double[] feedback) {
        EpropArchitecture.require(spec, false);
        NetworkParams ps = NetworkParams.of(spec, params.asMap()).copy();
        this.spec = spec;
        this.config = config;
        LayerSpec layer = spec.layers().get(0);
        NeuronSpec neuron = layer.neuron();
        h = layer.size();
        nIn = spec.inputs();
        recurrent = layer.recurrent();
        pre = nIn + 1 + (recurrent ? h : 0);
        outputs = spec.outputs();
        alif = neuron.model() == NeuronModel.ALIF;
        zeroReset = neuron.reset() == ResetMode.ZERO;
        dtMs = spec.dtMs();
        alpha = neuron.alpha(dtMs);
        rho = neuron.rho(dtMs);
        beta = alif ? neuron.adaptBeta() : 0.0;
        kappa = spec.readout().kappa(dtMs);
        filterGain = config.nestReadoutScaling() ? 1.0 : 1.0 - kappa;
        readoutScale = config.nestReadoutScaling() ? 1.0 / (1.0 - kappa) : 1.0;
        refractorySteps = neuron.refractorySteps();
        surrogate = neuron.surrogate().create();

        wIn = ps.get(inputWeights(0)).data();
        wRec = recurrent ? ps.get(recurrentWeights(0)).data() : null;
        bias = ps.get(bias(0)).data();
        theta = ps.get(threshold(0)).data();
        delta = ps.get(resetOffset(0)).data();
        wOut = ps.get(READOUT_WEIGHT).data();
        bOut = ps.get(READOUT_BIAS).data();
        randomFeedback = fixedFeedback(config, feedback, outputs, h);
        nestRegularizer =
                config.nestCompatibility() == NestCompatibility.BSSHSLM_2020
                        && config.rateRegularization() > 0.0;
        sumE = nestRegularizer ? new double[h * pre] : null;
        spikeCount = new double[h];

        v = new double[h];
        a = new double[h];
        z = new double[h];
        zNext = new double[h];
        r = new double[h];
        y = new double[outputs];
        rateHz = new double[h];
        p = new double[pre];
        epsV = new double[h * pre];
        epsA = new double[h * pre];
        eBar = new double[h * pre];
        psi = new double[h];
        zBar = new double[h];
        gSyn = new double[h * pre];
        gOut = new double[outputs * h];
        gBOut = new double[outputs];
        err = new double[outputs];
        updater = new ReferenceUpdater(config, groups());
    }

    private static double[] fixedFeedback(EpropConfig config, double[] given, int o, int h) {
        if (config.feedback() != FeedbackMode.GIVEN) {
            if (given != null) {
                throw new IllegalArgumentException(
                        "feedback matrix given but feedback = "
                                + config.feedback()
                                + " (use GIVEN)");
            }
            return config.feedback() == FeedbackMode.RANDOM
                    ? FeedbackMatrix.random(o, h, config.feedbackSeed())
                    : null;
        }
        if (given == null) {
            throw new IllegalArgumentException(
                    "feedback = GIVEN needs the feedback matrix B [O, H]");
        }
        if (given.length != o * h) {
            throw new IllegalArgumentException(
                    "feedback matrix has " + given.length + " entries, B [O, H] needs " + o * h);
        }
        for (int i = 0; i < given.length; i++) {
            if (!Double.isFinite(given[i])) {
                throw new IllegalArgumentException(
                        "feedback[" + i + "] is " + given[i] + " (must be finite)");
            }
        }
        return given.clone();
    }

    private double[][] groups() {
        return new double[][] {wIn, wRec == null ? new double[0] : wRec, bias, wOut, bOut};
    }

    /** Zeroes the network state (v, a, z, refractory, y) and every eligibility vector and trace. */
    public void resetState() {
        Arrays.fill(v, 0.0);
        Arrays.fill(a, 0.0);
        Arrays.fill(z, 0.0);
        Arrays.fill(r, 0.0);
        Arrays.fill(y, 0.0);
        resetTraces();
    }

    /** Zeroes eligibility vectors and traces only (after an input gap: never learn across it). */
    public void resetTraces() {
        Arrays.fill(epsV, 0.0);
        Arrays.fill(epsA, 0.0);
        Arrays.fill(eBar, 0.0);
        Arrays.fill(psi, 0.0);
        Arrays.fill(zBar, 0.0);
        biasBar = 0.0;
    }

    /**
     * One step: forward, traces and (with a label) gradient accumulation.
     *
     * @param x input x_t, length inputs (not modified)
     * @param target y*_t, length outputs, or null when this step carries no label (not modified)
     * @throws IllegalArgumentException on a wrong length or a non-finite input or label value
     */
    public void step(double[] x, double[] target) {
        checkVector("x", x, nIn);
        if (target != null) {
            checkVector("target", target, outputs);
        }
        // p_t = [x_t, 1, z_{t−1}]
        System.arraycopy(x, 0, p, 0, nIn);
        p[nIn] = 1.0;
        if (recurrent) {
            System.arraycopy(z, 0, p, nIn + 1, h);
        }
        for (int j = 0; j < h; j++) {
            double decay = zeroReset ? (1.0 - z[j]) * alpha : alpha;
            int row = j * pre;
            for (int i = 0; i < pre; i++) {
                if (alif) {
                    epsA[row + i] = psi[j] * epsV[row + i] + (rho - beta * psi[j]) * epsA[row + i];
                }
                epsV[row + i] = decay * epsV[row + i] + p[i];
            }
        }
        forward(x);
        double rateDecay = Math.exp(-dtMs / config.rateTauMs());
        for (int j = 0; j < h; j++) {
            int row = j * pre;
            for (int i = 0; i < pre; i++) {
                double e = psi[j] * (epsV[row + i] - beta * epsA[row + i]);
                eBar[row + i] = kappa * eBar[row + i] + filterGain * e;
            }
            if (nestRegularizer) {
                for (int i = 0; i < pre; i++) {
                    sumE[row + i] += psi[j] * (epsV[row + i] - beta * epsA[row + i]);
                }
            }
            spikeCount[j] += z[j];
            zBar[j] = kappa * zBar[j] + filterGain * z[j];
            rateHz[j] = rateDecay * rateHz[j] + (1.0 - rateDecay) * z[j] * 1000.0 / dtMs;
        }
        biasBar = kappa * biasBar + filterGain;
        stepsSinceUpdate++;
        if (target != null) {
            accumulate(target);
        }
    }

    private void forward(double[] x) {
        double[] zNew = zNext;
        for (int j = 0; j < h; j++) {
            double current = bias[j];
            for (int i = 0; i < nIn; i++) {
                current += wIn[j * nIn + i] * x[i];
            }
            if (recurrent) {
                for (int i = 0; i < h; i++) {
                    current += wRec[j * h + i] * z[i];
                }
            }
            if (zeroReset) {
                v[j] = (1.0 - z[j]) * alpha * v[j] + z[j] * delta[j] + current;
            } else {
                v[j] = alpha * v[j] + current - z[j] * (theta[j] - delta[j]);
            }
            double threshold = theta[j];
            if (alif) {
                a[j] = rho * a[j] + z[j];
                threshold += beta * a[j];
            }
            boolean refractory = r[j] > 0.0;
            zNew[j] = !refractory && v[j] - threshold > 0.0 ? 1.0 : 0.0;
            r[j] = Math.max(0.0, Math.min(refractorySteps, r[j] + refractorySteps * zNew[j] - 1));
            psi[j] = refractory ? 0.0 : surrogate.derivative(v[j] - threshold);
        }
        System.arraycopy(zNew, 0, z, 0, h);
        for (int k = 0; k < outputs; k++) {
            double current = bOut[k];
            for (int j = 0; j < h; j++) {
                current += wOut[k * h + j] * z[j];
            }
            y[k] = kappa * y[k] + (1.0 - kappa) * current;
        }
    }

    private void accumulate(double[] target) {
        double stepLoss = ReadoutError.compute(config.loss(), y, readoutScale, target, err);
        if (!Double.isFinite(stepLoss)) {
            updater.reportNonFinite();
            return;
        }
        loss += stepLoss;
        learnSteps++;
        double lambda = nestRegularizer ? 0.0 : config.rateRegularization();
        for (int j = 0; j < h; j++) {
            double signal = 0.0;
            for (int k = 0; k < outputs; k++) {
                double b = randomFeedback != null ? randomFeedback[k * h + j] : wOut[k * h + j];
                signal += b * err[k];
            }
            double reg = lambda * (rateHz[j] - config.targetRateHz());
            int row = j * pre;
            for (int i = 0; i < pre; i++) {
                gSyn[row + i] += signal * eBar[row + i];
                if (lambda > 0.0) {
                    gSyn[row + i] += reg * psi[j] * (epsV[row + i] - beta * epsA[row + i]);
                }
            }
        }
        for (int k = 0; k < outputs; k++) {
            for (int j = 0; j < h; j++) {
                gOut[k * h + j] += err[k] * zBar[j];
            }
            gBOut[k] += err[k] * biasBar;
        }
    }

    /**
     * Applies the accumulated gradient with the configured optimizer and guards, then zeroes it.
     *
     * @return true if applied, false if a non-finite value was detected (weights restored to the
     *     last good values, the event counted, traces reset)
     */
    public boolean applyUpdate() {
        addNestRegularizer(gSyn);
        double[][] grads = {
            column(0, nIn),
            recurrent ? column(nIn + 1, h) : new double[0],
            column(nIn, 1),
            gOut,
            gBOut
        };
        boolean ok = updater.apply(grads);
        Arrays.fill(gSyn, 0.0);
        Arrays.fill(gOut, 0.0);
        Arrays.fill(gBOut, 0.0);
        if (sumE != null) {
            Arrays.fill(sumE, 0.0);
        }
        Arrays.fill(spikeCount, 0.0);
        stepsSinceUpdate = 0;
        if (!ok) {
            resetTraces();
        }
        if (recurrent) {
            for (int j = 0; j < h; j++) {
                wRec[j * h + j] = 0.0; // no autapses, whatever the update said
            }
        }
        return ok;
    }

    /**
     * NEST {@code eprop_iaf_bsshslm_2020}'s regulariser term (see {@link
     * NestCompatibility#BSSHSLM_2020}) added to {@code g} [H, pre]; no-op unless enabled.
     */
    private void addNestRegularizer(double[] g) {
        if (!nestRegularizer || stepsSinceUpdate == 0) {
            return;
        }
        double steps = stepsSinceUpdate;
        double targetPerStep = config.targetRateHz() / 1000.0 * dtMs;
        for (int j = 0; j < h; j++) {
            double reg =
                    config.rateRegularization() * (spikeCount[j] / steps - targetPerStep) / steps;
            int row = j * pre;
            for (int i = 0; i < pre; i++) {
                g[row + i] += reg * sumE[row + i];
            }
        }
    }

    /** Columns [from, from + width) of {@code g} as a new [H, width] array. */
    private double[] column(double[] g, int from, int width) {
        double[] out = new double[h * width];
        for (int j = 0; j < h; j++) {
            System.arraycopy(g, j * pre + from, out, j * width, width);
        }
        return out;
    }

    private double[] column(int from, int width) {
        return column(gSyn, from, width);
    }

    /**
     * The accumulated gradient dE/dθ by parameter name ({@code layer0.w_in}, {@code layer0.w_rec},
     * {@code layer0.bias}, {@code readout.w_out}, {@code readout.bias}), as new arrays.
     */
    public Map<String, double[]> gradients() {
        double[] syn = gSyn.clone();
        addNestRegularizer(syn);
        Map<String, double[]> g = new LinkedHashMap<>();
        g.put(inputWeights(0), column(syn, 0, nIn));
        if (recurrent) {
            double[] rec = column(syn, nIn + 1, h);
            for (int j = 0; j < h; j++) {
                rec[j * h + j] = 0.0; // no autapse, no gradient
            }
            g.put(recurrentWeights(0), rec);
        }
        g.put(bias(0), column(syn, nIn, 1));
        g.put(READOUT_WEIGHT, gOut.clone());
        g.put(READOUT_BIAS, gBOut.clone());
        return g;
    }

    /** The current parameters (a copy). */
    public NetworkParams params() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(inputWeights(0), new Tensor(new int[] {h, nIn}, wIn.clone()));
        if (recurrent) {
            t.put(recurrentWeights(0), new Tensor(new int[] {h, h}, wRec.clone()));
        }
        t.put(bias(0), new Tensor(new int[] {h}, bias.clone()));
        t.put(threshold(0), new Tensor(new int[] {h}, theta.clone()));
        t.put(resetOffset(0), new Tensor(new int[] {h}, delta.clone()));
        t.put(READOUT_WEIGHT, new Tensor(new int[] {outputs, h}, wOut.clone()));
        t.put(READOUT_BIAS, new Tensor(new int[] {outputs}, bOut.clone()));
        return NetworkParams.of(spec, t);
    }

    /** Readout y_t of the last step (a copy; the raw readout, not ŷ). */
    public double[] readout() {
        return y.clone();
    }

    /** Spikes z_t of the last step (a copy). */
    public double[] spikes() {
        return z.clone();
    }

    /** Membrane v_t of the last step (a copy). */
    public double[] membrane() {
        return v.clone();
    }

    /** ψ_t of the last step (a copy). */
    public double[] pseudoDerivative() {
        return psi.clone();
    }

    /** Loss accumulated over labelled steps since construction or {@link #resetLoss()}. */
    public double loss() {
        return loss;
    }

    /** Labelled steps since construction or {@link #resetLoss()}. */
    public long learnSteps() {
        return learnSteps;
    }

    public void resetLoss() {
        loss = 0.0;
        learnSteps = 0;
    }

    /** Number of non-finite events (each restored the last good weights). */
    public long nonFiniteEvents() {
        return updater.nonFiniteEvents();
    }

    private static void checkVector(String field, double[] values, int length) {
        if (values.length != length) {
            throw new IllegalArgumentException(
                    field + " has length " + values.length + ", the network needs " + length);
        }
        for (int i = 0; i < length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        field + "[" + i + "] is " + values[i] + " (must be finite)");
            }
        }
    }
}
