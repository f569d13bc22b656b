package org.spikeloop.learn.eprop;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.Arrays;
import org.spikeloop.learn.optim.AdamKernel;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.surrogate.Surrogate;
import org.spikeloop.snn.surrogate.SurrogateKind;
import org.spikeloop.snn.surrogate.SurrogateSpec;

/**
 * The float32 hot-path e-prop learner: runs right after each {@link FloatNetwork#step} on the
 * engine thread and updates the network's live weights in place. Same mathematics as {@link
 * EpropReference} (Bellec et al. 2020, Methods eqs. (13)–(29), (38); see there), organised so that
 * the per-synapse work is a few multiply-adds per synapse per <em>window</em> instead of per step.
 *
 * <p><b>Windowed factorisation.</b> With the subtractive reset the membrane eligibility vector does
 * not depend on the postsynaptic neuron: ε^v_ji = ε_i, one trace per presynaptic row i (input,
 * bias, recurrent). Over a window of n ≤ W steps t0+1..t1 every per-synapse quantity at t1 (the
 * gradient sum g, the κ-filtered trace ē and, for ALIF, ε^a) is linear in its value at t0, in ε_i
 * at t0 and in the raw presynaptic values p_i^u of the window:
 *
 * <pre>
 *   g_ji  += cGe_j·ē_ji + cGa_j·ε^a_ji + cGv_j·ε_i(t0) + Σ_u p_i^u·mG_j^u
 *   ē_ji   = κ^n·ē_ji   + cEa_j·ε^a_ji + cEv_j·ε_i(t0) + Σ_u p_i^u·mE_j^u
 *   ε^a_ji =              cAa_j·ε^a_ji + cAv_j·ε_i(t0) + Σ_u p_i^u·mA_j^u
 * </pre>
 *
 * The per-neuron coefficients come from a backward (adjoint) recursion over the window's ψ_j, L_j
 * and R_j, O(W·H) per window; the per-synapse merge then needs ~3 (LIF) or ~8 (ALIF) multiply-adds
 * per synapse per window plus one row-axpy per non-zero presynaptic value (spikes are sparse).
 *
 * <p><b>Spreading the work.</b> Closed windows queue in a ring of {@value #SLOTS} window buffers.
 * Each step does a bounded share of the oldest queued work: the recursion of ⌈H/W⌉ neurons, then
 * ⌈P/W⌉ presynaptic rows of merge (and, for a window that closed an update, of update); the quotas
 * are latched at each close so that a backlog left by a window closed early (an update or trial end
 * mid-window) is spread over the next W steps. A window's gradient is complete about 2W steps after
 * it closed. Updates fall due every {@code updateIntervalSteps} learning steps or at {@link
 * #endTrial()}: the readout immediately, each synaptic row as its merge completes. W is the
 * configured {@code windowSteps} or, for 0, {@link #autoWindowSteps} of the network size.
 *
 * <p>Guards: learning rates bounded by the config; per-element |Δw| clipped; group norm limited; a
 * row whose gradient or new weights are non-finite aborts the update, restores every row already
 * changed by it from a snapshot (the last good weights), zeroes traces and gradients and counts the
 * event ({@link #nonFiniteEvents()}).
 *
 * <p>Threading: single owner (the engine thread that steps the network). Allocation: none in {@link
 * #step}, {@link #endTrial}, {@link #flush}, {@link #resetTraces}; the constructor and the
 * gradient/export accessors allocate. Units: dt from the spec (ms), rates in Hz.
 */
public final class FloatEpropLearner {
    /** Window buffers in the ring: one filling, up to three closed and queued. */
    static final int SLOTS = 4;

    private final EpropConfig config;
    private final LayerState layer;
    private final int h;
    private final int nIn;
    private final int pre;
    private final int outputs;
    private final int window;
    private final int neuronsPerStep;
    private final int rowsPerStep;
    private final boolean recurrent;
    private final boolean alif;
    private final boolean adam;
    private final boolean regularise;
    private final float alpha;
    private final float rho;
    private final float beta;
    private final float kappa;
    private final float c;
    private final float readoutScale;
    private final float rateDecay;
    private final float rateGain;
    private final Surrogate surrogate;
    private final boolean triangle;
    private final float triScale;
    private final float triInvWidth;

    // Live network arrays (transposed: row i = weights from presynaptic i).
    private final float[] wInT;
    private final float[] wRecT;
    private final float[] bias;
    private final float[] wOutT; // [H][O]
    private final float[] bOut;
    private final float[] randomFeedback; // [O][H] or null

    // Per-synapse state, [pre][h].
    private final float[] g;
    private final float[] eBar;
    private final float[] epsA;
    private final float[] adamM;
    private final float[] adamS;
    // Adam moments of the readout weights [H][O] and bias [O].
    private final float[] adamOutM;
    private final float[] adamOutS;
    private final float[] adamBiasM;
    private final float[] adamBiasS;
    private final float[] snapshot;
    // Row i's Adam moments before its step, restored if the row turns out non-finite.
    private final float[] savedM;
    private final float[] savedS;

    // Per-presynaptic traces.
    private final float[] epsV;

    // Window buffers: a ring of SLOTS windows, one filling and up to SLOTS − 1 closed ones queued
    // (oldest first) for their coefficients and merge.
    private final float[][] pT; // [W][pre]: step u writes one contiguous row
    // Bit q of row i's words: p_i was non-zero at step q of the window (the merge visits only
    // those; cleared as the row merges).
    private final long[][] nonZero; // [pre][maskWords]
    private final int maskWords;
    private final float[][] psiBuf; // [W][h]
    private final float[][] lBuf;
    private final float[][] rBuf;
    private final float[][] psi0;
    private final float[][] epsV0;
    private final int[] len = new int[SLOTS];
    private final boolean[] applyFlag = new boolean[SLOTS];
    private final int[] coefNext = new int[SLOTS]; // neurons whose coefficients are computed
    // The learning-rate scale and Adam bias corrections latched when an update fell due.
    private final double[] slotScale = new double[SLOTS];
    private final double[] slotC1 = new double[SLOTS];
    private final double[] slotC2 = new double[SLOTS];
    // Coefficients of a closed window.
    private final float[][] mG;
    private final float[][] mE;
    private final float[][] mA;
    private final float[][] cGe;
    private final float[][] cGa;
    private final float[][] cGv;
    private final float[][] cEa;
    private final float[][] cEv;
    private final float[][] cAa;
    private final float[][] cAv;
    private final float[] kW = new float[SLOTS];

    private int cur;
    private int u;
    private int queued; // closed windows waiting: slots cur − queued .. cur − 1 (mod SLOTS)
    private int mergeRow; // next row of the oldest queued window to merge
    private int rowQuota; // rows merged per step, latched at each window close
    private int neuronQuota; // neurons' coefficients per step, latched at each window close
    private boolean normLimited;
    private boolean applyAborted;
    private final double[] norm2 = new double[3];
    private double applyC1 = 1.0;
    private double applyC2 = 1.0;
    private long adamSteps;
    private double lrScale = 1.0;
    private double applyScale = 1.0; // lrScale latched when an update starts (one rate per update)
    private long forcedDrains;

    // Per-neuron step state.
    private final float[] psi; // ψ_t of the last step
    private final float[] zBar;
    private float biasBar;
    private final float[] rateHz;
    private final float[] signal;

    // Readout gradients [H][O] and [O], and the error.
    private final float[] gOut;
    private final float[] gBOut;
    private final float[] err;
    private final float[] yHat;

    private long stepsSinceApply;
    private boolean learnedSinceApply;
    private double lossSum;
    private long learnSteps;
    private long nonFiniteEvents;
    private long updatesApplied;

    /**
     * @param network the float32 network this learner adapts (its layer 0 and readout arrays are
     *     updated in place)
     * @param config the learner configuration
     * @throws IllegalArgumentException naming an unsupported architecture field, or feedback GIVEN
     *     / a NEST compatibility mode (float64 reference only)
     */
    public FloatEpropLearner(FloatNetwork network, EpropConfig config) {
        NetworkSpec spec = network.spec();
        EpropArchitecture.require(spec, true);
        if (config.feedback() == FeedbackMode.GIVEN) {
            throw new IllegalArgumentException(
                    "feedback: GIVEN (a caller-supplied B) is supported by EpropReference only");
        }
        if (config.nestCompatibility() != NestCompatibility.NONE) {
            throw new IllegalArgumentException(
                    "nestCompatibility: "
                            + config.nestCompatibility()
                            + " is supported by EpropReference only (the NEST cross-check)");
        }
        this.config = config;
        LayerSpec ls = spec.layers().get(0);
        NeuronSpec n = ls.neuron();
        layer = network.layer(0);
        h = ls.size();
        nIn = spec.inputs();
        recurrent = ls.recurrent();
        pre = nIn + 1 + (recurrent ? h : 0);
        outputs = spec.outputs();
        alif = n.model() == NeuronModel.ALIF;
        window =
                config.windowSteps() == EpropConfig.AUTO_WINDOW
                        ? autoWindowSteps(pre, h, alif)
                        : config.windowSteps();
        rowsPerStep = (pre + window - 1) / window;
        neuronsPerStep = (h + window - 1) / window;
        rowQuota = rowsPerStep;
        neuronQuota = neuronsPerStep;
        normLimited = Double.isFinite(config.maxWeightNorm());
        adam = config.optimizer() == OptimizerKind.ADAM;
        regularise = config.rateRegularization() > 0.0;
        double dt = spec.dtMs();
        alpha = (float) n.alpha(dt);
        rho = (float) n.rho(dt);
        beta = alif ? (float) n.adaptBeta() : 0f;
        double k = spec.readout().kappa(dt);
        kappa = (float) k;
        c = config.nestReadoutScaling() ? 1f : (float) (1.0 - k);
        readoutScale = config.nestReadoutScaling() ? (float) (1.0 / (1.0 - k)) : 1f;
        double rd = Math.exp(-dt / config.rateTauMs());
        rateDecay = (float) rd;
        rateGain = (float) ((1.0 - rd) * 1000.0 / dt);
        SurrogateSpec ss = n.surrogate();
        surrogate = ss.create();
        triangle = SurrogateKind.byName(ss.name()) == SurrogateKind.TRIANGLE;
        triScale = (float) (ss.gain() / ss.scale());
        triInvWidth = (float) (1.0 / ss.scale());

        wInT = network.liveParameter(inputWeights(0));
        wRecT = recurrent ? network.liveParameter(recurrentWeights(0)) : null;
        bias = network.liveParameter(bias(0));
        wOutT = network.liveParameter(READOUT_WEIGHT);
        bOut = network.liveParameter(READOUT_BIAS);
        if (config.feedback() == FeedbackMode.RANDOM) {
            double[] b = FeedbackMatrix.random(outputs, h, config.feedbackSeed());
            randomFeedback = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                randomFeedback[i] = (float) b[i];
            }
        } else {
            randomFeedback = null;
        }

        int syn = pre * h;
        g = new float[syn];
        eBar = new float[syn];
        epsA = alif ? new float[syn] : null;
        adamM = adam ? new float[syn] : null;
        adamS = adam ? new float[syn] : null;
        snapshot = new float[syn];
        savedM = adam ? new float[h] : null;
        savedS = adam ? new float[h] : null;
        epsV = new float[pre];
        pT = new float[SLOTS][pre * window];
        maskWords = (window + 63) >>> 6;
        nonZero = new long[SLOTS][pre * maskWords];
        psiBuf = new float[SLOTS][window * h];
        lBuf = new float[SLOTS][window * h];
        rBuf = new float[SLOTS][regularise ? window * h : 0];
        psi0 = new float[SLOTS][h];
        epsV0 = new float[SLOTS][pre];
        mG = new float[SLOTS][window * h];
        mE = new float[SLOTS][window * h];
        mA = new float[SLOTS][alif ? window * h : 0];
        cGe = new float[SLOTS][h];
        cGa = new float[SLOTS][h];
        cGv = new float[SLOTS][h];
        cEa = new float[SLOTS][h];
        cEv = new float[SLOTS][h];
        cAa = new float[SLOTS][alif ? h : 0];
        cAv = new float[SLOTS][alif ? h : 0];
        psi = new float[h];
        zBar = new float[h];
        rateHz = new float[h];
        signal = new float[h];
        gOut = new float[h * outputs];
        gBOut = new float[outputs];
        adamOutM = adam ? new float[h * outputs] : null;
        adamOutS = adam ? new float[h * outputs] : null;
        adamBiasM = adam ? new float[outputs] : null;
        adamBiasS = adam ? new float[outputs] : null;
        err = new float[outputs];
        yHat = new float[outputs];
    }

    /**
     * One learning step, called right after {@code network.step(x, y)} with the same arrays.
     *
     * @param x the input frame x_t the network just stepped on (not modified)
     * @param y the readout y_t the network just produced (not modified)
     * @param target y*_t (length outputs, finite — the {@link LabelGate} guarantees it), or null
     *     when this step must not learn (no label, stalled labels, outside a trial window); traces
     *     still advance
     */
    public void step(float[] x, float[] y, float[] target) {
        final int hh = h;
        final int uu = u;
        final int w = window;
        final float[] p = pT[cur];
        final int row = uu * pre;
        final long[] nz = nonZero[cur];
        final int mw = maskWords;
        final int word = uu >>> 6;
        final long bit = 1L << uu;
        final float[] ev = epsV;
        final float a = alpha;
        // Presynaptic values p_t = [x_t, 1, z_{t−1}] and their traces ε_i.
        for (int i = 0; i < nIn; i++) {
            float pi = x[i];
            p[row + i] = pi;
            ev[i] = a * ev[i] + pi;
            if (pi != 0f) {
                nz[i * mw + word] |= bit;
            }
        }
        p[row + nIn] = 1f;
        nz[nIn * mw + word] |= bit;
        ev[nIn] = a * ev[nIn] + 1f;
        if (recurrent) {
            final LayerState s = layer;
            final int off = nIn + 1;
            for (int j = 0; j < hh; j++) {
                float zp = s.zPrev(j);
                p[row + off + j] = zp;
                ev[off + j] = a * ev[off + j] + zp;
                if (zp != 0f) {
                    nz[(off + j) * mw + word] |= bit;
                }
            }
        }
        pseudoDerivatives();
        System.arraycopy(psi, 0, psiBuf[cur], uu * hh, hh);
        readoutTraces();
        boolean learn = target != null && learningSignals(y, target);
        final float[] lb = lBuf[cur];
        final float[] rb = rBuf[cur];
        if (learn) {
            System.arraycopy(signal, 0, lb, uu * hh, hh);
            if (regularise) {
                final float lambda = (float) config.rateRegularization();
                final float target0 = (float) config.targetRateHz();
                for (int j = 0; j < hh; j++) {
                    rb[uu * hh + j] = lambda * (rateHz[j] - target0);
                }
            }
        } else {
            Arrays.fill(lb, uu * hh, uu * hh + hh, 0f);
            if (regularise) {
                Arrays.fill(rb, uu * hh, uu * hh + hh, 0f);
            }
        }
        u = uu + 1;
        boolean applyNow = false;
        if (learn) {
            learnedSinceApply = true;
            stepsSinceApply++;
            int n = config.updateIntervalSteps();
            applyNow = n > 0 && stepsSinceApply >= n;
        }
        if (applyNow) {
            requestApply();
        } else if (u == w) {
            closeWindow(false);
        }
        advance(rowQuota, neuronQuota);
    }

    /** Per-step budget of per-synapse state traffic that {@link #autoWindowSteps} aims at. */
    static final long TRAFFIC_BUDGET_BYTES = 512 * 1024;

    /** Smallest and largest W {@link #autoWindowSteps} picks. */
    static final int MIN_AUTO_WINDOW = 16;

    static final int MAX_AUTO_WINDOW = 64;

    /**
     * The window W for {@link EpropConfig#AUTO_WINDOW}: every synapse's g and ē (and ε^a for ALIF)
     * are read and written once per window, 16 (LIF) or 24 (ALIF) bytes, so a step's share is
     * bytes·P·H/W; W is the smallest that keeps it within {@link #TRAFFIC_BUDGET_BYTES}, clamped to
     * [{@value #MIN_AUTO_WINDOW}, {@value #MAX_AUTO_WINDOW}] (below 16 the O(H) per-step overhead
     * dominates; above 64 the window buffers outgrow the caches and updates land later).
     *
     * @param presynaptic P = inputs + 1 (bias) + H (if recurrent)
     * @param neurons H
     * @param alif whether ε^a is carried per synapse
     */
    public static int autoWindowSteps(int presynaptic, int neurons, boolean alif) {
        long bytes = (alif ? 24L : 16L) * presynaptic * neurons;
        long w = (bytes + TRAFFIC_BUDGET_BYTES - 1) / TRAFFIC_BUDGET_BYTES;
        return (int) Math.max(MIN_AUTO_WINDOW, Math.min(MAX_AUTO_WINDOW, w));
    }

    /** The window W in steps (the configured one, or the size-derived one for AUTO_WINDOW). */
    public int windowSteps() {
        return window;
    }

    /** ψ_t = surrogate'(v_t − A_t), 0 while refractory (eq. (17)). */
    private void pseudoDerivatives() {
        final LayerState s = layer;
        final float[] ps = psi;
        if (triangle) {
            final float sc = triScale;
            final float iw = triInvWidth;
            for (int j = 0; j < h; j++) {
                float t = 1f - Math.abs(s.v(j) - s.effectiveThreshold(j)) * iw;
                ps[j] = s.wasRefractory(j) ? 0f : (t > 0f ? sc * t : 0f);
            }
        } else {
            for (int j = 0; j < h; j++) {
                ps[j] =
                        s.wasRefractory(j)
                                ? 0f
                                : (float) surrogate.derivative(s.v(j) - s.effectiveThreshold(j));
            }
        }
    }

    private void readoutTraces() {
        final LayerState s = layer;
        final float k = kappa;
        final float cc = c;
        final float[] zb = zBar;
        final float[] rate = rateHz;
        for (int j = 0; j < h; j++) {
            float z = s.z(j);
            zb[j] = k * zb[j] + cc * z;
            rate[j] = rateDecay * rate[j] + rateGain * z;
        }
        biasBar = k * biasBar + cc;
    }

    /** err, L_j = Σ_k B_jk·err_k, readout gradients; false (counted) if the error is non-finite. */
    private boolean learningSignals(float[] y, float[] target) {
        final int o = outputs;
        final float[] yh = yHat;
        System.arraycopy(y, 0, yh, 0, o);
        double stepLoss = ReadoutError.compute(config.loss(), yh, readoutScale, target, err);
        if (!Double.isFinite(stepLoss)) {
            nonFiniteEvents++;
            return false;
        }
        lossSum += stepLoss;
        learnSteps++;
        final float[] e = err;
        final float[] sig = signal;
        final float[] zb = zBar;
        final float[] go = gOut;
        for (int j = 0; j < h; j++) {
            float l = 0f;
            for (int k = 0; k < o; k++) {
                float b = randomFeedback != null ? randomFeedback[k * h + j] : wOutT[j * o + k];
                l += b * e[k];
                go[j * o + k] += e[k] * zb[j];
            }
            sig[j] = l;
        }
        for (int k = 0; k < o; k++) {
            gBOut[k] += e[k] * biasBar;
        }
        return true;
    }

    /** Marks an update due now: readout applied at once, synaptic rows as their merge completes. */
    private void requestApply() {
        closeWindow(true);
        stepsSinceApply = 0;
        learnedSinceApply = false;
    }

    /**
     * Ends a trial: closes the current window and applies the update accumulated since the last one
     * (the synaptic rows over the next W steps, or at once on {@link #flush()}). Allocation-free.
     */
    public void endTrial() {
        if (learnedSinceApply) {
            requestApply();
        } else if (u > 0) {
            closeWindow(false);
        }
    }

    /** Completes every pending window merge and due update now (synchronously). Allocation-free. */
    public void flush() {
        if (u > 0) {
            closeWindow(false);
        }
        while (queued > 0) {
            drainOldest();
        }
    }

    /**
     * Zeroes every eligibility vector and trace after completing pending work: the next step starts
     * fresh (after an input gap — never learn across it — or at a trial start with a state reset).
     * Accumulated gradients are kept. Allocation-free; a full pass over the per-synapse state.
     */
    public void resetTraces() {
        flush();
        Arrays.fill(eBar, 0f);
        if (epsA != null) {
            Arrays.fill(epsA, 0f);
        }
        Arrays.fill(epsV, 0f);
        Arrays.fill(psi, 0f);
        // The window now filling starts here: its start values (taken at the last close) too.
        Arrays.fill(epsV0[cur], 0f);
        Arrays.fill(psi0[cur], 0f);
        Arrays.fill(zBar, 0f);
        biasBar = 0f;
    }

    /**
     * Closes the current window (n = u steps) and queues it: its coefficients and merge are spread
     * over the next steps ({@link #advance}). The per-step quotas are latched here so that, when
     * the next window is a full one, everything queued before it is merged by its close: in steady
     * state ⌈P/W⌉ rows and ⌈H/W⌉ neurons per step; after a short window (an update or trial end
     * mid-window) the backlog is spread over the next W steps instead of being paid in one step.
     */
    private void closeWindow(boolean apply) {
        if (queued == SLOTS - 1) {
            drainOldest(); // ring full (windows shorter than W in a row): pay for the oldest now
            forcedDrains++;
        }
        int n = u;
        int k = cur;
        len[k] = n;
        applyFlag[k] = apply;
        coefNext[k] = n > 0 ? 0 : h;
        if (n > 0) {
            float kn = 1f;
            for (int q = 0; q < n; q++) {
                kn *= kappa; // ē's own decay over the window
            }
            kW[k] = kn;
        }
        if (apply) {
            startApply(k);
        }
        queued++;
        int next = (k + 1) % SLOTS;
        System.arraycopy(epsV, 0, epsV0[next], 0, pre);
        System.arraycopy(psi, 0, psi0[next], 0, h);
        cur = next;
        u = 0;
        long rows = -mergeRow;
        long neurons = 0;
        for (int q = queued; q >= 1; q--) {
            int s = slotAgo(q);
            if (q > 1) {
                rows += pre;
            }
            neurons += h - coefNext[s];
        }
        rowQuota = (int) Math.max(rowsPerStep, (rows + window - 1) / window);
        neuronQuota = (int) Math.max(neuronsPerStep, (neurons + window - 1) / window);
    }

    /** The slot closed {@code ago} windows before the current one (1 = the newest closed). */
    private int slotAgo(int ago) {
        return (cur - ago + SLOTS) % SLOTS;
    }

    /**
     * One step's share of the queued work, oldest window first: coefficients of up to {@code
     * neurons} neurons, then up to {@code rows} presynaptic rows of merge (and, for a window that
     * closed an update, of weight update). A window's merge starts once all its coefficients are
     * known.
     */
    private void advance(int rows, int neurons) {
        for (int q = queued; q >= 1 && neurons > 0; q--) {
            int s = slotAgo(q);
            int from = coefNext[s];
            if (from < h) {
                int to = Math.min(h, from + neurons);
                coefficients(s, len[s], from, to);
                coefNext[s] = to;
                neurons -= to - from;
            }
        }
        while (queued > 0 && rows > 0) {
            int s = slotAgo(queued);
            if (coefNext[s] < h) {
                return;
            }
            rows -= mergeRows(s, rows);
        }
    }

    /** Completes the oldest queued window now (coefficients, merge, update). */
    private void drainOldest() {
        int s = slotAgo(queued);
        if (coefNext[s] < h) {
            coefficients(s, len[s], coefNext[s], h);
            coefNext[s] = h;
        }
        mergeRows(s, pre);
    }

    /**
     * Backward recursions over the closed window k of n steps (see the class javadoc) for neurons
     * [from, to): each neuron's recursion is independent, so the O(n·H) work splits over steps.
     */
    private void coefficients(int k, int n, int from, int to) {
        final int hh = h;
        final float[] ps = psiBuf[k];
        final float[] lb = lBuf[k];
        final float[] rb = rBuf[k];
        final float[] p0 = psi0[k];
        final float a = alpha;
        final float r = rho;
        final float b = beta;
        final float kk = kappa;
        final float cc = c;
        final float[] mg = mG[k];
        final float[] me = mE[k];
        final float[] ma = mA[k];
        for (int j = from; j < to; j++) {
            // Target g (sum over the window).
            float lam = 0f;
            float lv = 0f;
            float la = 0f;
            // Target ē(t1).
            float ebarAdj = 1f;
            float ev = 0f;
            float ea = 0f;
            for (int q = n - 1; q >= 0; q--) {
                int idx = q * hh + j;
                float sp = ps[idx];
                lam = lb[idx] + kk * lam;
                float qg = (regularise ? rb[idx] : 0f) + cc * lam;
                float lvNew = sp * qg + a * lv + sp * la;
                la = -b * sp * qg + (r - b * sp) * la;
                lv = lvNew;
                mg[idx] = lv;
                float qe = cc * ebarAdj;
                float evNew = sp * qe + a * ev + sp * ea;
                ea = -b * sp * qe + (r - b * sp) * ea;
                ev = evNew;
                me[idx] = ev;
                ebarAdj *= kk;
            }
            float s0 = p0[j];
            cGe[k][j] = kk * lam;
            cGv[k][j] = a * lv + s0 * la;
            cGa[k][j] = (r - b * s0) * la;
            cEv[k][j] = a * ev + s0 * ea;
            cEa[k][j] = (r - b * s0) * ea;
            if (alif) {
                float av = 0f;
                float aa = 1f;
                ma[(n - 1) * hh + j] = 0f;
                for (int q = n - 2; q >= 0; q--) {
                    float sp = ps[q * hh + j];
                    float avNew = a * av + sp * aa;
                    aa = (r - b * sp) * aa;
                    av = avNew;
                    ma[q * hh + j] = av;
                }
                cAv[k][j] = a * av + s0 * aa;
                cAa[k][j] = (r - b * s0) * aa;
            }
        }
    }

    /**
     * Merges (and, for a window that closed an update, applies) up to {@code rows} presynaptic rows
     * of the oldest queued window, slot {@code k}; dequeues it when its last row is done.
     *
     * @return the rows processed
     */
    private int mergeRows(int k, int rows) {
        final boolean apply = applyFlag[k];
        if (apply && mergeRow == 0) {
            beginApplyRows(k);
        }
        int from = mergeRow;
        int end = (int) Math.min((long) from + rows, pre);
        final boolean merge = len[k] > 0;
        for (int i = from; i < end; i++) {
            if (merge) {
                mergeRow(k, i);
            }
            if (apply) {
                applyRow(i);
            }
        }
        mergeRow = end;
        if (end == pre) {
            mergeRow = 0;
            queued--;
            if (apply) {
                finishApply();
            }
        }
        return end - from;
    }

    private void mergeRow(int k, int i) {
        final int hh = h;
        final int base = i * hh;
        final float ev0 = epsV0[k][i];
        final float[] gg = g;
        final float[] eb = eBar;
        final float kw = kW[k];
        final float[] ge = cGe[k];
        final float[] gv = cGv[k];
        final float[] ee = cEv[k];
        if (alif) {
            final float[] ea = epsA;
            final float[] ga = cGa[k];
            final float[] ba = cEa[k];
            final float[] aa = cAa[k];
            final float[] av = cAv[k];
            for (int j = 0; j < hh; j++) {
                float eOld = eb[base + j];
                float aOld = ea[base + j];
                gg[base + j] += ge[j] * eOld + ga[j] * aOld + gv[j] * ev0;
                eb[base + j] = kw * eOld + ba[j] * aOld + ee[j] * ev0;
                ea[base + j] = aa[j] * aOld + av[j] * ev0;
            }
        } else {
            for (int j = 0; j < hh; j++) {
                float eOld = eb[base + j];
                gg[base + j] += ge[j] * eOld + gv[j] * ev0;
                eb[base + j] = kw * eOld + ee[j] * ev0;
            }
        }
        final float[] p = pT[k];
        final long[] nz = nonZero[k];
        final float[] mg = mG[k];
        final float[] me = mE[k];
        final float[] ma = mA[k];
        for (int wd = 0; wd < maskWords; wd++) {
            long bits = nz[i * maskWords + wd];
            nz[i * maskWords + wd] = 0L;
            while (bits != 0L) { // spikes are sparse: most rows have few non-zero steps
                int q = (wd << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                float pv = p[q * pre + i];
                int off = q * hh;
                for (int j = 0; j < hh; j++) {
                    gg[base + j] += pv * mg[off + j];
                    eb[base + j] += pv * me[off + j];
                }
                if (alif) {
                    final float[] ea = epsA;
                    for (int j = 0; j < hh; j++) {
                        ea[base + j] += pv * ma[off + j];
                    }
                }
            }
        }
    }

    // ---- updates and guards ----

    /** An update falls due with window k: readout now, rate and Adam corrections latched. */
    private void startApply(int k) {
        slotScale[k] = lrScale;
        if (adam) {
            adamSteps++;
            slotC1[k] = AdamKernel.biasCorrection(config.adamBeta1(), adamSteps);
            slotC2[k] = AdamKernel.biasCorrection(config.adamBeta2(), adamSteps);
        }
        applyReadout(slotScale[k], slotC1[k], slotC2[k]);
    }

    /**
     * The synaptic rows of window k's update start: its latched rate, fresh norms and abort flag.
     */
    private void beginApplyRows(int k) {
        applyAborted = false;
        Arrays.fill(norm2, 0.0);
        applyScale = slotScale[k];
        applyC1 = slotC1[k];
        applyC2 = slotC2[k];
    }

    private float[] rowArray(int i) {
        if (i < nIn) {
            return wInT;
        }
        return i == nIn ? bias : wRecT;
    }

    private int rowOffset(int i) {
        if (i < nIn) {
            return i * h;
        }
        return i == nIn ? 0 : (i - nIn - 1) * h;
    }

    private int rowGroup(int i) {
        if (i < nIn) {
            return 0;
        }
        return i == nIn ? 2 : 1;
    }

    private double rowRate(int group) {
        double base =
                group == 0 ? config.lrInput() : group == 1 ? config.lrRecurrent() : config.lrBias();
        return applyScale * base;
    }

    /**
     * Applies and zeroes the gradient of presynaptic row i (one row of the transposed weights), in
     * one pass over the row (SGD) or two (Adam: the moments change only once the row is known
     * finite). Non-finite values are detected branch-free (x·0 is 0 for finite x, NaN otherwise) so
     * the loops stay vectorisable; the group norm is summed only when {@code maxWeightNorm} is set.
     */
    private void applyRow(int i) {
        final int hh = h;
        final int base = i * hh;
        final float[] gg = g;
        if (applyAborted) {
            Arrays.fill(gg, base, base + hh, 0f);
            return;
        }
        final float[] w = rowArray(i);
        final int off = rowOffset(i);
        final int group = rowGroup(i);
        final float lr = (float) rowRate(group);
        final float maxChange = (float) Math.min(config.maxWeightChange(), Float.MAX_VALUE);
        final boolean clip = maxChange < Float.MAX_VALUE;
        final int diagonal = group == 1 ? i - nIn - 1 : -1;
        final float[] snap = snapshot;
        float check = 0f;
        if (adam) {
            final float[] m = adamM;
            final float[] s = adamS;
            System.arraycopy(w, off, snap, base, hh);
            System.arraycopy(m, base, savedM, 0, hh);
            System.arraycopy(s, base, savedS, 0, hh);
            AdamKernel.update(
                    w,
                    off,
                    gg,
                    m,
                    s,
                    base,
                    hh,
                    lr,
                    (float) config.adamBeta1(),
                    (float) config.adamBeta2(),
                    (float) config.adamEpsilon(),
                    (float) applyC1,
                    (float) applyC2,
                    maxChange);
            for (int j = 0; j < hh; j++) {
                check += w[off + j] * 0f + gg[base + j] * 0f;
                gg[base + j] = 0f;
            }
            if (check != 0f) {
                // The row's moments took the non-finite step too: back to the last good ones.
                System.arraycopy(savedM, 0, m, base, hh);
                System.arraycopy(savedS, 0, s, base, hh);
            }
        } else if (clip) {
            for (int j = 0; j < hh; j++) {
                float gr = gg[base + j];
                float old = w[off + j];
                float nw = old + Math.max(-maxChange, Math.min(maxChange, -lr * gr));
                check += nw * 0f + gr * 0f;
                snap[base + j] = old;
                w[off + j] = nw;
                gg[base + j] = 0f;
            }
        } else {
            for (int j = 0; j < hh; j++) {
                float gr = gg[base + j];
                float old = w[off + j];
                float nw = old - lr * gr;
                check += nw * 0f + gr * 0f;
                snap[base + j] = old;
                w[off + j] = nw;
                gg[base + j] = 0f;
            }
        }
        if (check != 0f) {
            abortApply(i + 1); // this row was written too: restore it with the others
            return;
        }
        if (diagonal >= 0) {
            w[off + diagonal] = 0f; // no autapses
        }
        if (normLimited) {
            double sq = 0.0;
            for (int j = 0; j < hh; j++) {
                float v = w[off + j];
                sq += v * v;
            }
            norm2[group] += sq;
        }
    }

    /** Restores rows 0..i−1 (already changed by this update) and counts the event. */
    private void abortApply(int i) {
        for (int r = 0; r < i; r++) {
            System.arraycopy(snapshot, r * h, rowArray(r), rowOffset(r), h);
        }
        applyAborted = true;
        nonFiniteEvents++;
    }

    private void finishApply() {
        if (applyAborted) {
            // Windows queued after it carry the state that went non-finite: drop them.
            for (; queued > 0; queued--) {
                Arrays.fill(nonZero[slotAgo(queued)], 0L);
            }
            mergeRow = 0;
            // Traces may hold the non-finite values that caused it: start clean.
            Arrays.fill(eBar, 0f);
            if (epsA != null) {
                Arrays.fill(epsA, 0f);
            }
            Arrays.fill(epsV, 0f);
            Arrays.fill(g, 0f);
            return;
        }
        updatesApplied++;
        double limit = config.maxWeightNorm();
        if (Double.isFinite(limit)) {
            for (int group = 0; group < 3; group++) {
                double norm = Math.sqrt(norm2[group]);
                if (norm > limit) {
                    scaleGroup(group, (float) (limit / norm));
                }
            }
        }
    }

    private void scaleGroup(int group, float factor) {
        float[] w = group == 0 ? wInT : group == 1 ? wRecT : bias;
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
    }

    /** Readout weights and bias: small, applied at once with the same guards. */
    private void applyReadout(double scale, double c1, double c2) {
        final int n = h * outputs;
        final float lr = (float) (scale * config.lrReadout());
        final float lrB = (float) (scale * config.lrReadoutBias());
        final float maxChange = (float) Math.min(config.maxWeightChange(), Float.MAX_VALUE);
        boolean finite = true;
        for (int i = 0; i < n && finite; i++) {
            finite = Float.isFinite(gOut[i]);
        }
        for (int k = 0; k < outputs && finite; k++) {
            finite = Float.isFinite(gBOut[k]);
        }
        if (finite) {
            if (adam) {
                final float b1 = (float) config.adamBeta1();
                final float b2 = (float) config.adamBeta2();
                final float eps = (float) config.adamEpsilon();
                final float fc1 = (float) c1;
                final float fc2 = (float) c2;
                AdamKernel.update(
                        wOutT, 0, gOut, adamOutM, adamOutS, 0, n, lr, b1, b2, eps, fc1, fc2,
                        maxChange);
                AdamKernel.update(
                        bOut, 0, gBOut, adamBiasM, adamBiasS, 0, outputs, lrB, b1, b2, eps, fc1,
                        fc2, maxChange);
            } else {
                for (int i = 0; i < n; i++) {
                    wOutT[i] += Math.max(-maxChange, Math.min(maxChange, -lr * gOut[i]));
                }
                for (int k = 0; k < outputs; k++) {
                    bOut[k] += Math.max(-maxChange, Math.min(maxChange, -lrB * gBOut[k]));
                }
            }
            double sq = 0.0;
            for (int i = 0; i < n; i++) {
                sq += wOutT[i] * wOutT[i];
            }
            double norm = Math.sqrt(sq);
            if (norm > config.maxWeightNorm()) {
                float f = (float) (config.maxWeightNorm() / norm);
                for (int i = 0; i < n; i++) {
                    wOutT[i] *= f;
                }
            }
        } else {
            nonFiniteEvents++;
        }
        Arrays.fill(gOut, 0f);
        Arrays.fill(gBOut, 0f);
    }

    /**
     * Scales every group's learning rate by {@code scale} from the next update on (a learning-rate
     * schedule, e.g. decay toward convergence); an update already started (its rows merge over the
     * next window) keeps the scale it started with. Adam moments are kept. Allocation-free.
     *
     * @param scale in [0, 1] (the configured rates are the maximum, so the maxLearningRate guard
     *     still holds)
     * @throws IllegalArgumentException naming {@code scale} when outside [0, 1] or not finite
     */
    public void learningRateScale(double scale) {
        if (!(scale >= 0.0 && scale <= 1.0)) {
            throw new IllegalArgumentException("scale must be in [0, 1], got " + scale);
        }
        lrScale = scale;
    }

    /** The current learning-rate scale (1 unless {@link #learningRateScale(double)} changed it). */
    public double learningRateScale() {
        return lrScale;
    }

    // ---- read-outs (control plane) ----

    /**
     * The accumulated, not yet applied gradient of {@code name} in ParameterNames layout
     * (row-major, untransposed), after {@link #flush()}. Allocates.
     */
    public double[] gradient(String name) {
        flush();
        if (name.equals(inputWeights(0))) {
            return untranspose(0, nIn);
        }
        if (name.equals(bias(0))) {
            return untranspose(nIn, 1);
        }
        if (recurrent && name.equals(recurrentWeights(0))) {
            double[] r = untranspose(nIn + 1, h);
            for (int j = 0; j < h; j++) {
                r[j * h + j] = 0.0;
            }
            return r;
        }
        if (name.equals(READOUT_WEIGHT)) {
            double[] r = new double[outputs * h];
            for (int j = 0; j < h; j++) {
                for (int k = 0; k < outputs; k++) {
                    r[k * h + j] = gOut[j * outputs + k];
                }
            }
            return r;
        }
        if (name.equals(READOUT_BIAS)) {
            double[] r = new double[outputs];
            for (int k = 0; k < outputs; k++) {
                r[k] = gBOut[k];
            }
            return r;
        }
        throw new IllegalArgumentException("e-prop learns no parameter named " + name);
    }

    /** Rows [from, from+width) of g as an untransposed [H, width] array. */
    private double[] untranspose(int from, int width) {
        double[] r = new double[h * width];
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < h; j++) {
                r[j * width + i] = g[(from + i) * h + j];
            }
        }
        return r;
    }

    /** Loss summed over learning steps since construction or {@link #resetLoss()}. */
    public double loss() {
        return lossSum;
    }

    /** Learning steps since construction or {@link #resetLoss()}. */
    public long learnSteps() {
        return learnSteps;
    }

    public void resetLoss() {
        lossSum = 0.0;
        learnSteps = 0;
    }

    /** Non-finite events (each restored the last good weights and was not applied). */
    public long nonFiniteEvents() {
        return nonFiniteEvents;
    }

    /**
     * Windows whose queued work had to be completed in a single step because the ring of {@value
     * #SLOTS} window buffers was full (several windows shorter than W in a row, e.g. trial ends
     * every few steps): each such step pays an O(P·H) pass.
     */
    public long forcedDrains() {
        return forcedDrains;
    }

    /** Updates applied to the synaptic weights. */
    public long updatesApplied() {
        return updatesApplied;
    }

    /** Number of synapses learned (input, bias and recurrent rows × H). */
    public long synapses() {
        return (long) pre * h;
    }

    /** Bytes of learner state per synapse (float32 per-synapse arrays). */
    public int bytesPerSynapse() {
        int arrays = 3 + (alif ? 1 : 0) + (adam ? 2 : 0); // g, ē, snapshot, ε^a, Adam m/s
        return 4 * arrays;
    }

    /** Total bytes of learner state (per-synapse arrays plus window buffers and vectors). */
    public long stateBytes() {
        long perSynapse = (long) bytesPerSynapse() * synapses();
        long perWindowSlot =
                (long) pre * window
                        + (long) window * h * (4 + (regularise ? 1 : 0) + (alif ? 1 : 0))
                        + (long) h * (6 + (alif ? 2 : 0))
                        + pre;
        long windows = 4L * SLOTS * perWindowSlot + 8L * SLOTS * pre * maskWords;
        long vectors = 4L * (5L * h + 2L * h * outputs + pre + 3L * outputs);
        return perSynapse + windows + vectors;
    }
}
