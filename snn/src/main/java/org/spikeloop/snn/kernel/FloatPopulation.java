package org.spikeloop.snn.kernel;

import java.util.Arrays;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;

/**
 * Float32 state and neuron update of one population (a layer, the conv neurons or the spike-count
 * output neurons). Implements the neuron equations documented on {@link NeuronSpec} and {@link
 * ReferenceNetwork} (Bellec et al. 2020, Methods eqs. (1)–(3), (21)); the caller supplies the input
 * current I_t.
 *
 * <p>Threading: single writer (the stepping thread). Allocation: none after construction. The
 * element-wise updates are simple counted loops over {@code float[]} so that C2 can vectorise them;
 * the spike decision, which branches, is a separate loop that also gathers the indices of the
 * neurons that spiked, so projections downstream can sum only their weight rows.
 */
final class FloatPopulation implements LayerState {
    private final int n;
    private final NeuronModel model;
    private final boolean subtractReset;
    private final int refractorySteps;
    private final float alpha;
    private final float rho;
    private final float beta;
    private final float alphaDend;
    private final float dendThreshold;
    private final boolean dendriticSpikes;
    private final float coupling;

    // Trainable per-neuron parameters (float copies of NetworkParams).
    final float[] bias;
    final float[] theta;
    final float[] delta;
    private final float[] resetDrop; // θ − δ, what a spike subtracts one step later

    private final float[] v;
    private final float[] a;
    private final float[] d;
    private final float[] gate;
    private final float[] somaInput;
    private final float[] threshold; // A_t
    private final float[] refractory; // r_t, small integers held as float for branch-free loops
    private final float[] blocked; // 1 when refractory during the last step (r_{t−1} > 0)
    private float[] z;
    private float[] zPrev;
    private int[] active;
    private int activeCount;
    private int[] activePrev; // swap buffer for active

    FloatPopulation(NeuronSpec s, double dtMs, int size) {
        n = size;
        model = s.model();
        subtractReset = s.reset() == ResetMode.SUBTRACT;
        refractorySteps = s.refractorySteps();
        alpha = (float) Math.exp(-dtMs / s.tauMemMs());
        rho = (float) Math.exp(-dtMs / s.tauAdaptMs());
        beta = (float) s.adaptBeta();
        alphaDend = (float) Math.exp(-dtMs / s.tauDendMs());
        dendThreshold = (float) s.dendriticThreshold();
        dendriticSpikes = s.dendriticSpikes();
        coupling = (float) s.couplingGain();
        bias = new float[n];
        theta = new float[n];
        delta = new float[n];
        resetDrop = new float[n];
        v = new float[n];
        a = new float[n];
        d = new float[n];
        gate = new float[n];
        somaInput = new float[n];
        threshold = new float[n];
        refractory = new float[n];
        blocked = new float[n];
        z = new float[n];
        zPrev = new float[n];
        active = new int[n];
        activePrev = new int[n];
    }

    /** Recomputes derived per-neuron constants after θ or δ changed (control plane). */
    void parametersChanged() {
        for (int j = 0; j < n; j++) {
            resetDrop[j] = theta[j] - delta[j];
        }
        if (model != NeuronModel.ALIF) {
            System.arraycopy(theta, 0, threshold, 0, n);
        }
    }

    void reset() {
        Arrays.fill(v, 0f);
        Arrays.fill(a, 0f);
        Arrays.fill(d, 0f);
        Arrays.fill(gate, 0f);
        Arrays.fill(refractory, 0f);
        Arrays.fill(blocked, 0f);
        Arrays.fill(z, 0f);
        Arrays.fill(zPrev, 0f);
        activeCount = 0;
        System.arraycopy(theta, 0, threshold, 0, n);
    }

    /** Active indices of z (before {@link #integrate}: z_{t−1}; after: z_t). Live array. */
    int[] activeIndices() {
        return active;
    }

    int activeCount() {
        return activeCount;
    }

    /** Live spike vector z (0/1), see {@link #activeIndices()} for timing. */
    float[] spikeVector() {
        return z;
    }

    /**
     * One step: v, a, d and z advance from t−1 to t given I_t.
     *
     * @param current I_t including the bias, length n (not modified)
     */
    void integrate(float[] current) {
        // z_{t−1} becomes zPrev; the old zPrev array is fully overwritten below.
        float[] zp = z;
        z = zPrev;
        zPrev = zp;
        int[] ai = active;
        active = activePrev;
        activePrev = ai;

        float[] in = current;
        if (model == NeuronModel.TWO_COMPARTMENT) {
            dendrite(current);
            in = somaInput;
        }
        if (subtractReset) {
            membraneSubtract(in, zp);
        } else {
            membraneZero(in, zp);
        }
        if (model == NeuronModel.ALIF) {
            adapt(zp);
        }
        activeCount = refractorySteps > 0 ? spikeRefractory() : spike();
    }

    private void dendrite(float[] current) {
        final float ad = alphaDend;
        final float g = coupling;
        final float[] dd = d;
        final float[] s = gate;
        final float[] soma = somaInput;
        for (int j = 0; j < n; j++) {
            dd[j] = ad * dd[j] + current[j];
        }
        if (dendriticSpikes) {
            final float td = dendThreshold;
            for (int j = 0; j < n; j++) {
                s[j] = dd[j] > td ? 1f : 0f;
            }
        } else {
            Arrays.fill(s, 1f);
        }
        for (int j = 0; j < n; j++) {
            soma[j] = g * s[j] * dd[j];
        }
    }

    /** v_t = α·v_{t−1} + in_t − z_{t−1}·(θ − δ). */
    private void membraneSubtract(float[] in, float[] zp) {
        final float al = alpha;
        final float[] vv = v;
        final float[] drop = resetDrop;
        for (int j = 0; j < n; j++) {
            vv[j] = al * vv[j] + in[j] - zp[j] * drop[j];
        }
    }

    /** v_t = (1 − z_{t−1})·α·v_{t−1} + z_{t−1}·δ + in_t. */
    private void membraneZero(float[] in, float[] zp) {
        final float al = alpha;
        final float[] vv = v;
        final float[] dl = delta;
        for (int j = 0; j < n; j++) {
            vv[j] = (1f - zp[j]) * al * vv[j] + zp[j] * dl[j] + in[j];
        }
    }

    /** a_t = ρ·a_{t−1} + z_{t−1}; A_t = θ + β·a_t. */
    private void adapt(float[] zp) {
        final float r = rho;
        final float b = beta;
        final float[] aa = a;
        final float[] th = theta;
        final float[] at = threshold;
        for (int j = 0; j < n; j++) {
            aa[j] = r * aa[j] + zp[j];
            at[j] = th[j] + b * aa[j];
        }
    }

    /** z_t = H(v_t − A_t), gathering the indices that spiked. */
    private int spike() {
        final float[] vv = v;
        final float[] at = threshold;
        final float[] zz = z;
        final int[] idx = active;
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (vv[j] > at[j]) {
                zz[j] = 1f;
                idx[count++] = j;
            } else {
                zz[j] = 0f;
            }
        }
        return count;
    }

    /**
     * z_t = H(v_t − A_t) unless r_{t−1} &gt; 0; r_t = clip(r_{t−1} + n_ref·z_t − 1, 0, n_ref) (the
     * e-prop code's counter).
     */
    private int spikeRefractory() {
        final float[] vv = v;
        final float[] at = threshold;
        final float[] zz = z;
        final float[] r = refractory;
        final float[] blk = blocked;
        final int[] idx = active;
        final float nRef = refractorySteps;
        int count = 0;
        for (int j = 0; j < n; j++) {
            boolean refractoryNow = r[j] > 0f;
            blk[j] = refractoryNow ? 1f : 0f;
            if (!refractoryNow && vv[j] > at[j]) {
                zz[j] = 1f;
                idx[count++] = j;
                r[j] = nRef - 1f; // r_{t−1} = 0 here
            } else {
                zz[j] = 0f;
                r[j] = Math.max(0f, r[j] - 1f);
            }
        }
        return count;
    }

    // ---- LayerState ----

    @Override
    public int size() {
        return n;
    }

    @Override
    public NeuronModel model() {
        return model;
    }

    @Override
    public float v(int j) {
        return v[j];
    }

    @Override
    public float z(int j) {
        return z[j];
    }

    @Override
    public float zPrev(int j) {
        return zPrev[j];
    }

    @Override
    public float adaptation(int j) {
        return a[j];
    }

    @Override
    public float effectiveThreshold(int j) {
        return threshold[j];
    }

    @Override
    public float threshold(int j) {
        return theta[j];
    }

    @Override
    public float dendrite(int j) {
        return d[j];
    }

    @Override
    public float dendriticGate(int j) {
        return gate[j];
    }

    @Override
    public int refractoryCount(int j) {
        return (int) refractory[j];
    }

    @Override
    public boolean wasRefractory(int j) {
        return blocked[j] != 0f;
    }

    @Override
    public int spikeCount() {
        return activeCount;
    }

    @Override
    public int spikeIndex(int k) {
        if (k >= activeCount) {
            throw new IndexOutOfBoundsException(
                    "spike " + k + " of " + activeCount + " in the last step");
        }
        return active[k];
    }

    @Override
    public float[] copyMembrane(float[] dst) {
        System.arraycopy(v, 0, dst, 0, n);
        return dst;
    }

    @Override
    public float[] copySpikes(float[] dst) {
        System.arraycopy(z, 0, dst, 0, n);
        return dst;
    }
}
