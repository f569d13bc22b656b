package org.spikeloop.snn.kernel;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.Arrays;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.ResetMode;

/**
 * The readable float64 statement of the forward equations, batch 1, plain dense loops: the
 * verification reference for {@link FloatNetwork} and the forward CLI's {@code --precision
 * float64}. Speed is not a goal here; every equation is written out once, in the order the paper
 * states it.
 *
 * <p>Equations (discrete time, one call of {@link #step} = one step t; Bellec et al. 2020, "A
 * solution to the learning dilemma for recurrent networks of spiking neurons", Nat. Commun.
 * 11:3625, Methods):
 *
 * <ul>
 *   <li>input current I_t = W_in·x_t + W_rec·z_{t−1} + b (Methods eq. (1), with the bias added);
 *   <li>LIF membrane, reset one step later (Methods eq. (1)/(21)): subtract v_t = α·v_{t−1} + I_t −
 *       z_{t−1}·(θ − δ); zero v_t = (1 − z_{t−1})·α·v_{t−1} + z_{t−1}·δ + I_t;
 *   <li>ALIF adaptive threshold (Methods eq. (2)–(3), e-prop code form): a_t = ρ·a_{t−1} + z_{t−1},
 *       A_t = θ + β·a_t;
 *   <li>two-compartment: d_t = α_d·d_{t−1} + I_t, s_t = H(d_t − θ_d) (or 1 without dendritic
 *       spikes), soma input g·s_t·d_t in place of I_t;
 *   <li>spike z_t = H(v_t − A_t) (strict &gt;; A_t = θ for LIF), suppressed while refractory;
 *   <li>refractory counter (e-prop code): r_t = clip(r_{t−1} + n_ref·z_t − 1, 0, n_ref); the neuron
 *       is refractory at step t when r_{t−1} &gt; 0 — so after a spike it is blocked for n_ref − 1
 *       further steps (the spike step counts as the first of n_ref);
 *   <li>readout LEAKY y_t = κ·y_{t−1} + (1 − κ)·(W_out·z_t + b) (Methods eq. (4)); SPIKE_COUNT:
 *       non-recurrent output neurons with input W_out·z_t + b.
 * </ul>
 *
 * <p>Conv front-end (see {@link ConvSpec}): c_t = b + Σ_{i,k} W[o,i,k]·x_{t−K+1+k} (frames before
 * the first are zero); at input frame t (0-based) the conv neurons and every layer above step when
 * q = t + padding − (K − 1) ≥ 0 and q mod stride = 0. Layer l &gt; 0 receives layer l − 1's spikes
 * of the same step.
 *
 * <p>Not thread-safe; allocates only on construction and in the state accessors (which return
 * copies). State starts at zero.
 */
public final class ReferenceNetwork {
    private final NetworkSpec spec;

    private final Population conv;
    private final double[] convWeight; // [C_out, C_in, K] row-major
    private final double[][] window; // window[k] = x_{t−K+1+k}, k = 0..K−1
    private long framesSeen;

    private final Population[] layers;
    private final double[][] inputWeights; // [H_l, in_l]
    private final double[][] recurrentWeights; // [H_l, H_l] or null

    private final double[] readoutWeight; // [O, H_last]
    private final double[] readoutBias;
    private final double kappa;
    private final double[] y;
    private final Population outputNeurons; // SPIKE_COUNT only

    /**
     * @param spec the architecture (not modified)
     * @param params parameters matching {@code spec} (copied; later changes to them have no effect)
     * @throws IllegalArgumentException if a parameter is missing or has the wrong shape
     */
    public ReferenceNetwork(NetworkSpec spec, NetworkParams params) {
        this.spec = spec;
        NetworkParams p = NetworkParams.of(spec, params.asMap()).copy();
        double dt = spec.dtMs();
        ConvSpec c = spec.conv();
        if (c != null) {
            conv =
                    new Population(
                            c.neuron(),
                            dt,
                            p.get(CONV_BIAS).data(),
                            p.get(CONV_THRESHOLD).data(),
                            p.get(CONV_RESET_OFFSET).data());
            convWeight = p.get(CONV_WEIGHT).data();
            window = new double[c.kernelSize()][spec.inputs()];
        } else {
            conv = null;
            convWeight = null;
            window = null;
        }
        int n = spec.layers().size();
        layers = new Population[n];
        inputWeights = new double[n][];
        recurrentWeights = new double[n][];
        for (int l = 0; l < n; l++) {
            LayerSpec layer = spec.layers().get(l);
            layers[l] =
                    new Population(
                            layer.neuron(),
                            dt,
                            p.get(bias(l)).data(),
                            p.get(threshold(l)).data(),
                            p.get(resetOffset(l)).data());
            inputWeights[l] = p.get(inputWeights(l)).data();
            recurrentWeights[l] = layer.recurrent() ? p.get(recurrentWeights(l)).data() : null;
        }
        readoutWeight = p.get(READOUT_WEIGHT).data();
        readoutBias = p.get(READOUT_BIAS).data();
        kappa = spec.readout().kappa(dt);
        y = new double[spec.outputs()];
        outputNeurons =
                spec.readout().type() == ReadoutType.SPIKE_COUNT
                        ? new Population(
                                spec.readout().neuron(),
                                dt,
                                new double[spec.outputs()], // bias enters via the current below
                                p.get(READOUT_THRESHOLD).data(),
                                p.get(READOUT_RESET_OFFSET).data())
                        : null;
    }

    /** The architecture this network runs. */
    public NetworkSpec spec() {
        return spec;
    }

    /** Sets every state variable (v, a, d, y, z_{−1}, refractory counters, conv frames) to zero. */
    public void reset() {
        if (conv != null) {
            conv.reset();
            for (double[] frame : window) {
                Arrays.fill(frame, 0.0);
            }
        }
        framesSeen = 0;
        for (Population layer : layers) {
            layer.reset();
        }
        Arrays.fill(y, 0.0);
        if (outputNeurons != null) {
            outputNeurons.reset();
        }
    }

    /**
     * Advances the network by one input frame.
     *
     * @param x the input frame, length {@code spec.inputs()} (not modified)
     * @param out receives the readout (LEAKY: y_t; SPIKE_COUNT: output spikes 0/1), length {@code
     *     spec.outputs()}; untouched when this method returns false
     * @return false when a strided conv front-end emitted no output this frame (nothing above it
     *     stepped), true otherwise
     * @throws IllegalArgumentException on a wrong length or a non-finite input value (naming the
     *     channel); the state is then unchanged
     */
    public boolean step(double[] x, double[] out) {
        InputChecks.requireLengths(x.length, out.length, spec.inputs(), spec.outputs());
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw InputChecks.nonFinite(i, x[i]);
            }
        }
        double[] below = x;
        if (conv != null) {
            long t = framesSeen++;
            // Shift the window by one frame; window[K−1] is the newest.
            for (int k = 0; k + 1 < window.length; k++) {
                System.arraycopy(window[k + 1], 0, window[k], 0, x.length);
            }
            System.arraycopy(x, 0, window[window.length - 1], 0, x.length);
            if (!InputChecks.convEmits(t, spec.conv())) {
                return false;
            }
            conv.step(convCurrent());
            below = conv.z;
        }
        for (int l = 0; l < layers.length; l++) {
            Population layer = layers[l];
            double[] current = new double[layer.n];
            for (int j = 0; j < layer.n; j++) {
                double sum = layer.bias[j];
                int inputs = below.length;
                for (int i = 0; i < inputs; i++) {
                    sum += inputWeights[l][j * inputs + i] * below[i];
                }
                if (recurrentWeights[l] != null) {
                    for (int i = 0; i < layer.n; i++) {
                        sum += recurrentWeights[l][j * layer.n + i] * layer.z[i]; // z_{t−1}
                    }
                }
                current[j] = sum;
            }
            layer.step(current);
            below = layer.z;
        }
        int outputs = y.length;
        double[] readoutCurrent = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double sum = readoutBias[o];
            for (int j = 0; j < below.length; j++) {
                sum += readoutWeight[o * below.length + j] * below[j];
            }
            readoutCurrent[o] = sum;
        }
        if (outputNeurons == null) {
            for (int o = 0; o < outputs; o++) {
                y[o] = kappa * y[o] + (1.0 - kappa) * readoutCurrent[o];
            }
            System.arraycopy(y, 0, out, 0, outputs);
        } else {
            outputNeurons.step(readoutCurrent);
            System.arraycopy(outputNeurons.z, 0, out, 0, outputs);
        }
        return true;
    }

    /** c_t = b + Σ_{i,k} W[o,i,k]·x_{t−K+1+k} over the window (zeros before the first frame). */
    private double[] convCurrent() {
        int channels = conv.n;
        int inputs = spec.inputs();
        int kernel = window.length;
        double[] c = new double[channels];
        for (int o = 0; o < channels; o++) {
            double sum = conv.bias[o];
            for (int i = 0; i < inputs; i++) {
                for (int k = 0; k < kernel; k++) {
                    sum += convWeight[(o * inputs + i) * kernel + k] * window[k][i];
                }
            }
            c[o] = sum;
        }
        return c;
    }

    /** Spikes z_t of layer {@code l} after the last step (a copy). */
    public double[] spikes(int l) {
        return layers[l].z.clone();
    }

    /**
     * Membrane v_t of layer {@code l} after the last step, before the next step's reset (a copy).
     */
    public double[] membrane(int l) {
        return layers[l].v.clone();
    }

    /** ALIF adaptation a_t of layer {@code l} (zeros for other models; a copy). */
    public double[] adaptation(int l) {
        return layers[l].a.clone();
    }

    /** Dendritic potential d_t of layer {@code l} (two-compartment; zeros otherwise; a copy). */
    public double[] dendrite(int l) {
        return layers[l].d.clone();
    }

    /** Refractory counters r_t of layer {@code l} (a copy). */
    public double[] refractory(int l) {
        return layers[l].r.clone();
    }

    /** Effective threshold A_t of layer {@code l} (θ for LIF; a copy). */
    public double[] effectiveThreshold(int l) {
        return layers[l].threshold.clone();
    }

    /** Conv neurons' spikes after their last step. @throws IllegalStateException without conv */
    public double[] convSpikes() {
        return requireConv().z.clone();
    }

    /** Conv neurons' membranes after their last step. @throws IllegalStateException without conv */
    public double[] convMembrane() {
        return requireConv().v.clone();
    }

    private Population requireConv() {
        if (conv == null) {
            throw new IllegalStateException("this network has no conv front-end");
        }
        return conv;
    }

    /**
     * One population of neurons with its state. Fields are package-visible only to this outer
     * class's loops; the public API hands out copies.
     */
    private static final class Population {
        final int n;
        final NeuronModel model;
        final ResetMode resetMode;
        final int refractorySteps;
        final double alpha;
        final double rho;
        final double beta;
        final double alphaDend;
        final double dendThreshold;
        final boolean dendriticSpikes;
        final double coupling;
        final double[] bias;
        final double[] theta;
        final double[] delta;

        final double[] v;
        final double[] a;
        final double[] d;
        final double[] z;
        final double[] r;
        final double[] threshold; // A_t

        Population(NeuronSpec s, double dtMs, double[] bias, double[] theta, double[] delta) {
            n = theta.length;
            model = s.model();
            resetMode = s.reset();
            refractorySteps = s.refractorySteps();
            alpha = Math.exp(-dtMs / s.tauMemMs());
            rho = Math.exp(-dtMs / s.tauAdaptMs());
            beta = s.adaptBeta();
            alphaDend = Math.exp(-dtMs / s.tauDendMs());
            dendThreshold = s.dendriticThreshold();
            dendriticSpikes = s.dendriticSpikes();
            coupling = s.couplingGain();
            this.bias = bias;
            this.theta = theta;
            this.delta = delta;
            v = new double[n];
            a = new double[n];
            d = new double[n];
            z = new double[n];
            r = new double[n];
            threshold = theta.clone();
        }

        void reset() {
            Arrays.fill(v, 0.0);
            Arrays.fill(a, 0.0);
            Arrays.fill(d, 0.0);
            Arrays.fill(z, 0.0);
            Arrays.fill(r, 0.0);
            System.arraycopy(theta, 0, threshold, 0, n);
        }

        /** One step given I_t (bias already included); z holds z_{t−1} on entry, z_t on exit. */
        void step(double[] current) {
            for (int j = 0; j < n; j++) {
                double zPrev = z[j];
                double somaInput = current[j];
                if (model == NeuronModel.TWO_COMPARTMENT) {
                    d[j] = alphaDend * d[j] + current[j];
                    double gate = dendriticSpikes ? (d[j] - dendThreshold > 0.0 ? 1.0 : 0.0) : 1.0;
                    somaInput = coupling * gate * d[j];
                }
                if (resetMode == ResetMode.SUBTRACT) {
                    v[j] = alpha * v[j] + somaInput - zPrev * (theta[j] - delta[j]);
                } else {
                    v[j] = (1.0 - zPrev) * alpha * v[j] + zPrev * delta[j] + somaInput;
                }
                if (model == NeuronModel.ALIF) {
                    a[j] = rho * a[j] + zPrev;
                    threshold[j] = theta[j] + beta * a[j];
                } else {
                    threshold[j] = theta[j];
                }
                boolean refractory = r[j] > 0.0; // r_{t−1}
                double spike = !refractory && v[j] - threshold[j] > 0.0 ? 1.0 : 0.0;
                r[j] = Math.max(0.0, Math.min(refractorySteps, r[j] + refractorySteps * spike - 1));
                z[j] = spike;
            }
        }
    }
}
